/**
 * The popup page shipped beside the bundles: dist/voice-widget-popup.html.
 * This module sits at the top of src/ so that, built, it lies next to the
 * page in dist/ (as voice-widget.min.js does): its own URL locates the page.
 */
export const defaultPopupUrl = (): string => new URL('voice-widget-popup.html', import.meta.url).href;
