import type { HostApi } from '../core/contract';
import { registry } from '../../nodes';
import { desktopApi } from './api/desktop-host';
import { httpApi } from './api/web-host';
import { App } from './app';
import { installProbe } from './probe';
import './styles.css';

// The desktop app's preload provides the contract as `window.wanGraph`; in a browser the same
// contract is reached over HTTP from the page's own origin.
const host: HostApi = window.wanGraph ? desktopApi(window.wanGraph) : httpApi();
const app = new App(host, registry);
installProbe(app);
// in-page tests (test/e2e/model) drive the editor through its own operations, as its buttons do
(window as unknown as { wanGraphApp: App }).wanGraphApp = app;
app.start().catch((e: unknown) => {
  document.body.dataset.ready = 'failed';
  const message = e instanceof Error ? e.message : String(e);
  document.getElementById('target')!.textContent = `The editor could not reach its host: ${message}`;
});
