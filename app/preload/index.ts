import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './api';

// Runs in the sandboxed window before the editor: built as one CommonJS file with its
// dependencies, since a sandboxed preload can require nothing but 'electron'.
contextBridge.exposeInMainWorld('wanGraph', createApi(ipcRenderer));
