/**
 * True when running from source (the tests, a dev server on src/). The built
 * files (`dist/`) replace `__VOICE_WIDGET_DEV__` with `false`, so guards that
 * throw in development never throw inside a user's JsSIP event handler.
 */
declare const __VOICE_WIDGET_DEV__: boolean | undefined;

export const DEV_MODE: boolean = typeof __VOICE_WIDGET_DEV__ === 'undefined' ? true : __VOICE_WIDGET_DEV__;
