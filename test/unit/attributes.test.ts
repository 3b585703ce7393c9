import { expect } from '@open-wc/testing';
import '../../src/define.js';
import { VoiceWidget } from '../../src/element/voice-widget.js';
import { ATTRIBUTES, propertyOf, type AttributeRow } from '../../src/element/attributes.js';
import { COMMAND_TABLE, HANDLE_METHODS, POPUP_COMMANDS } from '../../src/bridge/protocol.js';
import { CONFIG_KEYS } from '../../src/dialog/protocol.js';

interface ManifestAttribute {
  name: string;
  fieldName?: string;
  type?: { text: string };
}
interface ManifestMember {
  kind: string;
  name: string;
  type?: { text: string };
}

/** The `<voice-widget>` declaration of the manifest `npm run build` generated. */
async function manifestElement(): Promise<{ attributes: ManifestAttribute[]; members: ManifestMember[] }> {
  const response = await fetch('/dist/custom-elements.json');
  expect(response.ok, 'dist/custom-elements.json (run npm run build first)').to.equal(true);
  const manifest = (await response.json()) as {
    modules: Array<{ declarations?: Array<{ tagName?: string; attributes: ManifestAttribute[]; members: ManifestMember[] }> }>;
  };
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'voice-widget');
  expect(element, 'voice-widget in the manifest').to.not.equal(undefined);
  return element!;
}

const rows = ATTRIBUTES as readonly AttributeRow[];

describe('the attribute table', () => {
  it('has a row for every attribute in custom-elements.json, and the manifest an attribute for every row', async () => {
    const { attributes } = await manifestElement();
    const inManifest = attributes.map((a) => `${a.name} → ${a.fieldName}`).sort();
    const inTable = rows
      .filter((row) => row.attribute !== false)
      .map((row) => `${row.name} → ${propertyOf(row.name)}`)
      .sort();
    expect(inTable).to.deep.equal(inManifest);
  });

  it("says each attribute's type as its @property does", async () => {
    const { attributes, members } = await manifestElement();
    for (const row of rows) {
      const member = members.find((m) => m.kind === 'field' && m.name === propertyOf(row.name));
      expect(member, `${propertyOf(row.name)} is a documented property`).to.not.equal(undefined);
      const text = (attributes.find((a) => a.name === row.name)?.type ?? member!.type)?.text ?? '';
      if (row.type === 'boolean') expect(text, row.name).to.equal('boolean');
      if (row.type === 'number') expect(text, row.name).to.equal('number');
      // A union written out lists the same values (a named type, like DtmfMode, is checked by TypeScript).
      if (text.includes("'")) for (const value of row.values ?? []) expect(text, row.name).to.include(`'${value}'`);
    }
  });

  it('names each row once', () => {
    expect(new Set(rows.map((r) => r.name)).size).to.equal(rows.length);
  });

  it("gives the popup's configuration keys from the forwarded rows", () => {
    expect(CONFIG_KEYS).to.deep.equal([...rows.filter((r) => r.popup).map((r) => r.name), 'number', 'contact-lookup']);
  });
});

describe('the command table', () => {
  it("names only the element's methods for the popup and the handle", () => {
    for (const name of new Set([...POPUP_COMMANDS, ...HANDLE_METHODS])) {
      expect(typeof (VoiceWidget.prototype as unknown as Record<string, unknown>)[name], name).to.equal('function');
    }
  });

  it('gives every command at least one door', () => {
    for (const [name, row] of Object.entries(COMMAND_TABLE)) expect(Object.keys(row).length, name).to.be.greaterThan(0);
  });
});
