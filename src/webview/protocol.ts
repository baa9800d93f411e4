// The one protocol shared by the extension host and the wizard webview UI.
//
// The host owns all state (`WizardState`) and every decision; the webview renders the state and sends intents
// (`FromWebview`). Both directions are discriminated unions on `type`, and both are validated on arrival: the host
// runs `parseFromWebview` on every inbound message, the UI runs `parseToWebview` on every message from the host, and
// anything that does not match is dropped.
//
// This file is the UI's only import. It re-exports the types (messages.ts), the validators (validate.ts) and the id
// lists (src/ids.ts, a small module without imports), so the browser bundle pulls in nothing else of the host.
export * from '../ids';
export * from './messages';
export * from './parties';
export * from './validate';
export { EN } from './uiStrings';
