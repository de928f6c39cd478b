import type { BrowserWindow, Dialog } from 'electron';

// Asking before leaving: while jobs run (they resume at the next start, but the artist should
// know), and when the editor has unsaved changes (its beforeunload handler says so).

type Preventable = { preventDefault(): void };

export class QuitGuard {
  #confirmed = false;
  #asking = false;

  constructor(
    readonly dialog: Pick<Dialog, 'showMessageBox'>,
    readonly activeJobs: () => number,
  ) {}

  /** The quit did not happen after all (the artist kept unsaved work): ask again next time. */
  reset(): void {
    this.#confirmed = false;
  }

  /** Holds a window close or an app quit while jobs run, until the artist says go; then `proceed`. */
  intercept(event: Preventable, win: BrowserWindow, proceed: () => void): void {
    const running = this.activeJobs();
    if (this.#confirmed || running === 0) return;
    event.preventDefault();
    if (this.#asking) return;
    this.#asking = true;
    void this.dialog
      .showMessageBox(win, {
        type: 'warning',
        buttons: ['Quit', 'Keep running'],
        defaultId: 1,
        cancelId: 1,
        message: running === 1 ? 'A generation is still running.' : `${running} generations are still running.`,
        detail: 'If you quit now, nothing paid for is lost: they are picked up again, and their videos downloaded, the next time you start Wan Graph.',
      })
      .catch(() => ({ response: 1 }))
      .then(({ response }) => {
        this.#asking = false;
        if (response !== 0) return;
        this.#confirmed = true;
        proceed();
      });
  }
}

/** The editor refused to unload (unsaved changes): ask, and let it go only if the artist agrees. True if it goes. */
export function confirmLeavingUnsaved(event: Preventable, win: BrowserWindow, dialog: Pick<Dialog, 'showMessageBoxSync'>): boolean {
  const choice = dialog.showMessageBoxSync(win, {
    type: 'question',
    buttons: ['Leave without saving', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'The graph has unsaved changes.',
    detail: 'If you leave now, the changes are lost (the last autosave is offered again at the next start).',
  });
  // preventDefault on will-prevent-unload overrides the page's beforeunload: the window goes
  if (choice === 0) event.preventDefault();
  return choice === 0;
}
