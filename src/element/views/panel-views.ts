/** The `views` lazy chunk: the panel's settings and recent-calls views, by the view that shows each (src/element/views/lazy-views.ts defines them). */
import { HistoryView } from './history-view.js';
import { SettingsView } from './settings-view.js';

export const views = { settings: SettingsView, history: HistoryView };
