import { h } from './dom';

// Browse… for a frame image: the page's own file picker, in browser mode and the desktop app alike
// (the file's bytes then go to the host's `image.import`, never a path the page cannot know).

export function pickImageFile(): Promise<File | undefined> {
  return new Promise((resolve) => {
    const input = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp,image/gif,image/bmp', style: 'display:none' }) as HTMLInputElement;
    const done = (file: File | undefined) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0]));
    input.addEventListener('cancel', () => done(undefined));
    document.body.append(input);
    input.click();
  });
}
