import type { BrowserWindow, Dialog, MessageBoxOptions, MessageBoxReturnValue, MessageBoxSyncOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { confirmLeavingUnsaved, QuitGuard } from '../../app/main/quit-guard';

const win = { id: 1 } as unknown as BrowserWindow;

/** A message box the test answers when it likes. */
function fakeDialog() {
  const open: { win: unknown; options: MessageBoxOptions; answer(response: number): Promise<void> }[] = [];
  const showMessageBox = vi.fn((w: unknown, options: MessageBoxOptions) => {
    let settle!: (r: MessageBoxReturnValue) => void;
    const promise = new Promise<MessageBoxReturnValue>((r) => (settle = r));
    open.push({
      win: w,
      options,
      // the guard reacts in a then(): let it run before the test looks
      answer: async (response) => {
        settle({ response, checkboxChecked: false });
        await promise;
        await Promise.resolve();
      },
    });
    return promise;
  });
  return { dialog: { showMessageBox } as unknown as Pick<Dialog, 'showMessageBox'>, showMessageBox, open };
}

const event = () => ({ preventDefault: vi.fn() });

function setup(running = 2) {
  const d = fakeDialog();
  const jobs = { running };
  const guard = new QuitGuard(d.dialog, () => jobs.running);
  return { ...d, jobs, guard, proceed: vi.fn() };
}

describe('QuitGuard.intercept', () => {
  it('lets go at once when no job runs', () => {
    const { guard, showMessageBox, proceed } = setup(0);
    const e = event();
    guard.intercept(e, win, proceed);
    expect(e.preventDefault).not.toHaveBeenCalled();
    expect(showMessageBox).not.toHaveBeenCalled();
    // the event itself goes on; proceed is only for after a held event
    expect(proceed).not.toHaveBeenCalled();
  });

  it('holds the event and asks, on the window, while jobs run', () => {
    const { guard, showMessageBox, open, proceed } = setup(3);
    const e = event();
    guard.intercept(e, win, proceed);
    expect(e.preventDefault).toHaveBeenCalledOnce();
    expect(showMessageBox).toHaveBeenCalledOnce();
    expect(open[0]!.win).toBe(win);
    expect(proceed).not.toHaveBeenCalled();
  });

  it('says how many run and that nothing paid for is lost', () => {
    const { guard, open } = setup(3);
    guard.intercept(event(), win, vi.fn());
    const { message, detail, buttons, cancelId, defaultId } = open[0]!.options;
    expect(message).toContain('3');
    expect(message).toMatch(/running/);
    expect(detail).toMatch(/nothing paid for is lost/i);
    expect(detail).toMatch(/next time you start/);
    expect(buttons).toEqual(['Quit', 'Keep running']);
    // Escape and Enter keep the jobs running
    expect(cancelId).toBe(1);
    expect(defaultId).toBe(1);
  });

  it('speaks of a single job in the singular', () => {
    const { guard, open } = setup(1);
    guard.intercept(event(), win, vi.fn());
    expect(open[0]!.options.message).toBe('A generation is still running.');
  });

  it('asks once while its question is open, and holds every event meanwhile', async () => {
    const { guard, showMessageBox, open, proceed } = setup();
    const first = event();
    const second = event();
    guard.intercept(first, win, proceed);
    guard.intercept(second, win, proceed);
    expect(showMessageBox).toHaveBeenCalledOnce();
    expect(second.preventDefault).toHaveBeenCalledOnce();
    await open[0]!.answer(0);
    expect(proceed).toHaveBeenCalledOnce();
  });

  it('proceeds once on Quit, and lets later events pass without asking', async () => {
    const { guard, showMessageBox, open, proceed } = setup();
    guard.intercept(event(), win, proceed);
    expect(proceed).not.toHaveBeenCalled();
    await open[0]!.answer(0);
    expect(proceed).toHaveBeenCalledOnce();

    const later = event();
    const again = vi.fn();
    guard.intercept(later, win, again);
    expect(later.preventDefault).not.toHaveBeenCalled();
    expect(showMessageBox).toHaveBeenCalledOnce();
    expect(again).not.toHaveBeenCalled();
    expect(proceed).toHaveBeenCalledOnce();
  });

  it('does not proceed on Keep running, and asks again next time', async () => {
    const { guard, showMessageBox, open, proceed } = setup();
    guard.intercept(event(), win, proceed);
    await open[0]!.answer(1);
    expect(proceed).not.toHaveBeenCalled();

    const later = event();
    guard.intercept(later, win, proceed);
    expect(later.preventDefault).toHaveBeenCalledOnce();
    expect(showMessageBox).toHaveBeenCalledTimes(2);
    await open[1]!.answer(0);
    expect(proceed).toHaveBeenCalledOnce();
  });

  it('asks again after a reset (the quit was called off by unsaved work)', async () => {
    const { guard, showMessageBox, open, proceed } = setup();
    guard.intercept(event(), win, proceed);
    await open[0]!.answer(0);
    guard.reset();
    const later = event();
    guard.intercept(later, win, proceed);
    expect(later.preventDefault).toHaveBeenCalledOnce();
    expect(showMessageBox).toHaveBeenCalledTimes(2);
  });

  it('is not stuck when the message box fails: nothing quits, and the next attempt asks again', async () => {
    const d = fakeDialog();
    const failing = vi.fn(() => Promise.reject(new Error('no display')));
    const guard = new QuitGuard({ showMessageBox: failing } as unknown as Pick<Dialog, 'showMessageBox'>, () => 1);
    const proceed = vi.fn();
    guard.intercept(event(), win, proceed);
    await vi.waitFor(() => expect(failing).toHaveBeenCalledOnce());
    await new Promise((r) => setImmediate(r));
    expect(proceed).not.toHaveBeenCalled();
    guard.intercept(event(), win, proceed);
    expect(failing).toHaveBeenCalledTimes(2);
    expect(d.open).toEqual([]);
  });

  it('counts the jobs anew each time it asks', async () => {
    const { guard, jobs, open } = setup(4);
    guard.intercept(event(), win, vi.fn());
    await open[0]!.answer(1);
    jobs.running = 2;
    guard.intercept(event(), win, vi.fn());
    expect(open[1]!.options.message).toContain('2');
    expect(open[1]!.options.message).not.toContain('4');
  });

  it('lets go without asking once the jobs have finished after a Keep running', async () => {
    const { guard, jobs, showMessageBox, open } = setup();
    guard.intercept(event(), win, vi.fn());
    await open[0]!.answer(1);
    jobs.running = 0;
    const e = event();
    guard.intercept(e, win, vi.fn());
    expect(e.preventDefault).not.toHaveBeenCalled();
    expect(showMessageBox).toHaveBeenCalledOnce();
  });
});

describe('confirmLeavingUnsaved', () => {
  const syncDialog = (choice: number) => {
    const showMessageBoxSync = vi.fn((_w: unknown, _o: MessageBoxSyncOptions) => choice);
    return { dialog: { showMessageBoxSync } as unknown as Pick<Dialog, 'showMessageBoxSync'>, showMessageBoxSync };
  };

  it('lets the window go when the artist chooses to leave', () => {
    const { dialog, showMessageBoxSync } = syncDialog(0);
    const e = event();
    expect(confirmLeavingUnsaved(e, win, dialog)).toBe(true);
    // preventDefault on will-prevent-unload is what overrides the page's refusal
    expect(e.preventDefault).toHaveBeenCalledOnce();
    expect(showMessageBoxSync).toHaveBeenCalledOnce();
    expect(showMessageBoxSync.mock.calls[0]![0]).toBe(win);
  });

  it('keeps the window when the artist cancels', () => {
    const { dialog } = syncDialog(1);
    const e = event();
    expect(confirmLeavingUnsaved(e, win, dialog)).toBe(false);
    expect(e.preventDefault).not.toHaveBeenCalled();
  });

  it('asks about unsaved changes, with Cancel for Escape and Enter', () => {
    const { dialog, showMessageBoxSync } = syncDialog(1);
    confirmLeavingUnsaved(event(), win, dialog);
    const options = showMessageBoxSync.mock.calls[0]![1];
    expect(options.message).toMatch(/unsaved changes/);
    expect(options.buttons).toEqual(['Leave without saving', 'Cancel']);
    expect(options.cancelId).toBe(1);
    expect(options.defaultId).toBe(1);
  });
});
