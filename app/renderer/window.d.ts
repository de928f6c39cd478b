import type { BridgeApi } from '../core/contract';

// The desktop app's preload puts the contract here (app/preload builds it from the same type).
declare global {
  interface Window {
    wanGraph?: BridgeApi;
  }
}
