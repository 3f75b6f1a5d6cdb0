// Every shipped language says everything: a key missing or left in English fails here (TypeScript
// already refuses a table with a key missing; this also catches a copy of the English text).
import assert from "node:assert/strict";
import { test } from "node:test";

import { type Strings, TABLE, stringsFor } from "../src/i18n";

const LANGUAGES = ["en", "fr", "es", "de", "it", "pt", "nl", "ja"]; // tenants/vocabulary.py LANGUAGES
const KEYS = Object.keys(TABLE.en) as (keyof Strings)[];
// Words that may rightly be the same as in English (a loanword, a name).
const SAME_AS_ENGLISH_OK = new Set<string>(["fr.agent"]);

function rendered(strings: Strings, key: keyof Strings): string {
  const value = strings[key];
  if (key === "busyIn") return (value as Strings["busyIn"])(42);
  if (key === "callPhone") return (value as Strings["callPhone"])("+33 1 42 00 00 00");
  return value as string;
}

test("the widget ships exactly the languages restaurants can choose", () => {
  assert.deepEqual(Object.keys(TABLE).sort(), [...LANGUAGES].sort());
});

for (const language of LANGUAGES) {
  test(`${language}: every key is present and non-empty`, () => {
    const strings = TABLE[language];
    assert.deepEqual(Object.keys(strings).sort(), [...KEYS].sort(), "the same keys as English, no more, no less");
    for (const key of KEYS) {
      assert.ok(rendered(strings, key).trim().length > 0, `${language}.${key} is empty`);
    }
  });

  if (language !== "en") {
    test(`${language}: nothing a diner reads is left in English`, () => {
      const leftovers = KEYS.filter(
        (key) => !SAME_AS_ENGLISH_OK.has(`${language}.${key}`) && rendered(TABLE[language], key) === rendered(TABLE.en, key),
      );
      assert.deepEqual(leftovers, []);
    });
  }

  test(`${language}: the wait and the phone number appear in their sentences`, () => {
    assert.match(TABLE[language].busyIn(42), /42/);
    assert.match(TABLE[language].callPhone("+33 1 42 00 00 00"), /\+33 1 42 00 00 00/);
  });
}

test("a regional or unknown language falls back sensibly", () => {
  assert.equal(stringsFor("pt-BR"), TABLE.pt);
  assert.equal(stringsFor("ja-JP"), TABLE.ja);
  assert.equal(stringsFor("zz"), TABLE.en);
  assert.equal(stringsFor(null), TABLE.en);
});
