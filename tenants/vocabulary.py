"""Fixed vocabularies shared by the admin, imports, the snapshot and the agent's tools."""

# Tag -> how the agent says it.
DIETARY_TAGS: dict[str, str] = {
    "vegetarian": "vegetarian",
    "vegan": "vegan",
    "gluten-free": "gluten-free",
    "dairy-free": "dairy-free",
    "nut-free": "nut-free",
    "halal": "halal",
    "kosher": "kosher",
    "spicy": "spicy",
}

# The fourteen allergens that EU and UK food law requires restaurants to declare.
ALLERGENS: dict[str, str] = {
    "gluten": "gluten",
    "crustaceans": "crustaceans",
    "eggs": "eggs",
    "fish": "fish",
    "peanuts": "peanuts",
    "soy": "soy",
    "milk": "milk",
    "tree-nuts": "tree nuts",
    "celery": "celery",
    "mustard": "mustard",
    "sesame": "sesame",
    "sulphites": "sulphites",
    "lupin": "lupin",
    "molluscs": "molluscs",
}

# Languages the agent speaks (speech recognition, model and voice all support them).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ja": "Japanese",
}
