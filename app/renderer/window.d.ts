import type { WanGraphApi } from '../preload/api';

// The desktop app's preload puts the host's API here; its type comes from the preload itself.
declare global {
  interface Window {
    wanGraph?: WanGraphApi;
  }
}
