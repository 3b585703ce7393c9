/** The script-tag build: `<script src="voice-widget.min.js">` defines `<voice-widget>`. */
import './define.js';
