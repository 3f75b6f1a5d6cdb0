// The onboarding form: picking a country fills in its time zone, language and currency (from Babel's
// CLDR data, rendered into the page as JSON), unless the operator has already typed their own.
"use strict";
(() => {
  const data = document.getElementById("hl-country-defaults");
  const country = document.getElementById("id_restaurant_country");
  if (!data || !country) return;
  const defaults = JSON.parse(data.textContent);
  const fields = {
    timezone: document.getElementById("id_restaurant_timezone"),
    language: document.getElementById("id_restaurant_language"),
    currency: document.getElementById("id_restaurant_currency"),
  };
  // A field counts as the operator's own once they change it; the country no longer overwrites it.
  const filled = new Map();
  for (const field of Object.values(fields)) {
    if (!field) continue;
    field.addEventListener("input", () => filled.delete(field));
    field.addEventListener("change", () => filled.delete(field));
  }
  const ownValue = (field) => field.value !== "" && filled.get(field) !== field.value;
  country.addEventListener("change", () => {
    const picked = defaults[country.value];
    if (!picked) return;
    for (const [key, field] of Object.entries(fields)) {
      if (!field || ownValue(field)) continue;
      field.value = picked[key];
      filled.set(field, field.value);
    }
  });
})();
