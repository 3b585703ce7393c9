/** The `in-call` lazy chunk: the connected call's screen and the call-waiting bar in it (element/views/lazy-views.ts defines them). */
export { InCallView } from './in-call-view.js';
export { CallWaitingView } from './call-waiting-view.js';
