/**
 * The script-tag doors: the global `VoiceWidget`, the calls a page queued
 * through the loader snippet before this script arrived, and the one-line
 * embed (`<script src=… data-token=… data-sip-server=…>`).
 */
import { ATTRIBUTES, type AttributeRow } from '../element/attributes.js';
import { createVoiceWidget, VoiceWidgetConfigError, type VoiceWidgetConfig, type VoiceWidgetHandle } from './create.js';

/** What the loader snippet (src/embed/loader-snippet.js) leaves behind: each early `create` and the calls made on its handle. */
interface QueuedWidget {
  /** The handle's stand-in: the real handle goes in `r`, and calls made before are in `q`. */
  t: { r?: VoiceWidgetHandle; q: Array<[string | symbol, unknown[]] | ['=', string | symbol, unknown]> };
  c: VoiceWidgetConfig;
}

export interface VoiceWidgetGlobal {
  ConfigError: typeof VoiceWidgetConfigError;
  /** The phone the script tag placed by itself (`data-token`), or null. */
  embedded: VoiceWidgetHandle | null;
  create(config: VoiceWidgetConfig): VoiceWidgetHandle;
}

declare global {
  interface Window {
    VoiceWidget?: VoiceWidgetGlobal | { q?: unknown };
  }
}

/** The script tag's `data-*` names that become the element's attributes (all else is ignored). */
const DATA_ATTRIBUTES: readonly string[] = ATTRIBUTES.filter((row: AttributeRow) => row.data).map((row) => row.name);

/** Sets up `window.VoiceWidget`, runs what was queued before, and places the one-line embed's phone. */
export function installScriptTag(script: HTMLOrSVGScriptElement | null): void {
  const early = window.VoiceWidget as { q?: unknown } | undefined;
  const api: VoiceWidgetGlobal = { create: createVoiceWidget, ConfigError: VoiceWidgetConfigError, embedded: null };
  window.VoiceWidget = api;
  const queued = Array.isArray(early?.q) ? (early.q as QueuedWidget[]) : [];
  const ready = () => {
    for (const item of queued) replay(item);
    if (script instanceof HTMLScriptElement && (script.dataset.token !== undefined || script.dataset.sipServer !== undefined)) {
      api.embedded = embed(script);
    }
  };
  // An async script may run while the page is still parsing: the containers the queued calls name may not exist yet.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
  else ready();
}

/** Creates a widget queued by the loader snippet and replays the calls made on its stand-in, in order. */
function replay({ t, c }: QueuedWidget): void {
  let handle: VoiceWidgetHandle;
  try {
    handle = createVoiceWidget(c);
  } catch (e) {
    // The page's create() returned long ago; the error can only be reported.
    console.error(e);
    return;
  }
  t.r = handle;
  for (const entry of t.q.splice(0)) {
    try {
      if (entry[0] === '=') (handle as unknown as Record<string | symbol, unknown>)[entry[1] as string | symbol] = entry[2];
      else {
        const [name, args] = entry as [string | symbol, unknown[]];
        const fn = (handle as unknown as Record<string | symbol, unknown>)[name];
        if (typeof fn === 'function') fn.apply(handle, args);
        else console.error(new VoiceWidgetConfigError(`VoiceWidget: the handle has no method ${String(name)}`));
      }
    } catch (e) {
      console.error(e);
    }
  }
}

/** The one-line embed: a floating phone configured from the script tag's `data-*` attributes. */
function embed(script: HTMLScriptElement): VoiceWidgetHandle {
  const handle = createVoiceWidget({});
  for (const name of DATA_ATTRIBUTES) {
    const value = script.getAttribute(`data-${name}`);
    // The element's own attribute parsing and checks apply, as if the page had written the tag.
    if (value !== null) handle.element.setAttribute(name, value);
  }
  return handle;
}
