import { h } from './dom';

// Menus, dialogs and toasts: the editor's own, so they look and behave the same in the browser
// and in the desktop app.

export interface MenuItem {
  label: string;
  key?: string;
  disabled?: boolean;
  action(): void;
}

let closeMenu: (() => void) | undefined;

export function showMenu(x: number, y: number, items: (MenuItem | 'separator')[]): void {
  closeMenu?.();
  const box = h(
    'div',
    { class: 'menu', role: 'menu' },
    items.map((item) =>
      item === 'separator'
        ? h('hr')
        : h('button', { type: 'button', role: 'menuitem', disabled: item.disabled, onclick: () => (close(), item.action()) }, h('span', {}, item.label), item.key ? h('span', { class: 'key' }, item.key) : null),
    ),
  );
  const outside = (e: Event) => !box.contains(e.target as Node) && close();
  const esc = (e: KeyboardEvent) => e.key === 'Escape' && close();
  const close = () => {
    box.remove();
    removeEventListener('pointerdown', outside, true);
    removeEventListener('keydown', esc, true);
    closeMenu = undefined;
  };
  closeMenu = close;
  document.body.append(box);
  box.style.left = `${Math.min(x, innerWidth - box.offsetWidth - 8)}px`;
  box.style.top = `${Math.min(y, innerHeight - box.offsetHeight - 8)}px`;
  addEventListener('pointerdown', outside, true);
  addEventListener('keydown', esc, true);
}

let toastArea: HTMLElement | undefined;
const MAX_TOASTS = 3;

export function toast(message: string, kind: 'info' | 'error' = 'info', ms = 5000): void {
  toastArea ??= document.body.appendChild(h('div', { class: 'toast-area', 'aria-live': 'polite' }));
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  toastArea.append(el);
  // a few at a time, newest last: a burst (saving again and again) does not cover the side panel;
  // errors stay longest
  while (toastArea.childElementCount > MAX_TOASTS) (toastArea.querySelector('.toast.info') ?? toastArea.firstElementChild!).remove();
  setTimeout(() => el.remove(), kind === 'error' ? ms * 2 : ms);
}

/**
 * A modal dialog; resolves with the value of the button pressed. Every dialog answers the same
 * keys: Escape cancels (undefined), Enter presses the primary button — except in a text area
 * (a new line) and on a focused button (which Enter presses itself).
 */
export function dialog<T extends string>(opts: { title: string; body: (Node | string)[]; buttons: { label: string; value: T; primary?: boolean; danger?: boolean }[]; name?: string }): Promise<T | undefined> {
  return new Promise((resolve) => {
    const done = (v: T | undefined) => {
      backdrop.remove();
      removeEventListener('keydown', esc, true);
      resolve(v);
    };
    const primary = opts.buttons.find((b) => b.primary);
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        e.preventDefault();
        done(undefined);
      } else if (e.key === 'Enter' && primary && !e.shiftKey && !e.altKey && !e.isComposing) {
        const tag = (e.target as HTMLElement | null)?.tagName;
        if (tag === 'TEXTAREA' || tag === 'BUTTON') return;
        e.stopPropagation();
        e.preventDefault();
        done(primary.value);
      }
    };
    const backdrop = h(
      'div',
      { class: 'dialog-backdrop' },
      h(
        'div',
        { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': opts.name ?? opts.title },
        h('h2', {}, opts.title),
        ...opts.body,
        h('div', { class: 'actions' }, opts.buttons.map((b) => h('button', { type: 'button', class: b.primary ? 'primary' : b.danger ? 'danger' : '', onclick: () => done(b.value) }, b.label))),
      ),
    );
    document.body.append(backdrop);
    addEventListener('keydown', esc, true);
    (backdrop.querySelector('input, select, textarea, button.primary') as HTMLElement | null)?.focus();
  });
}
