/**
 * True in development builds. The script-tag bundle is built with
 * `__VOICE_WIDGET_DEV__` replaced by `false`, so guards that throw in
 * development only log there.
 */
declare const __VOICE_WIDGET_DEV__: boolean | undefined;

export const DEV_MODE: boolean = typeof __VOICE_WIDGET_DEV__ === 'undefined' ? true : __VOICE_WIDGET_DEV__;
