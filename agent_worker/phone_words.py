"""Fixed sentences of a phone call, spoken without the model (before it starts, or to end the call).

Every shipped language has every sentence (a test holds them together). `{name}` is the restaurant's name.
"""

from __future__ import annotations

from tenants.snapshot import RestaurantSnapshot

PHONE_GREETING = {
    "en": "Thank you for calling {name}. This is the restaurant's virtual host. How can I help you?",
    "fr": "Merci d'appeler {name}. Vous êtes en ligne avec l'hôte virtuel du restaurant. Que puis-je faire pour vous ?",
    "de": "Danke für Ihren Anruf bei {name}. Hier ist der virtuelle Gastgeber des Restaurants. Wie kann ich helfen?",
    "es": "Gracias por llamar a {name}. Le atiende el anfitrión virtual del restaurante. ¿En qué puedo ayudarle?",
    "it": "Grazie per aver chiamato {name}. Risponde l'assistente virtuale del ristorante. Come posso aiutarla?",
    "pt": "Obrigado por ligar para {name}. Fala o anfitrião virtual do restaurante. Como posso ajudar?",
    "nl": "Bedankt voor het bellen naar {name}. U spreekt met de virtuele gastheer van het restaurant. Waarmee kan ik helpen?",
    "ja": "{name}にお電話いただきありがとうございます。レストランのバーチャル案内係です。ご用件をどうぞ。",
}

LINES_BUSY = {
    "en": "Thank you for calling {name}. All our lines are busy right now. Please call back in a few minutes. Goodbye.",
    "fr": "Merci d'appeler {name}. Toutes nos lignes sont occupées. Merci de rappeler dans quelques minutes. Au revoir.",
    "de": "Danke für Ihren Anruf bei {name}. Alle Leitungen sind gerade belegt. Bitte rufen Sie in ein paar Minuten wieder an. Auf Wiederhören.",
    "es": "Gracias por llamar a {name}. Todas nuestras líneas están ocupadas. Vuelva a llamar en unos minutos. Adiós.",
    "it": "Grazie per aver chiamato {name}. Tutte le linee sono occupate. La preghiamo di richiamare tra qualche minuto. Arrivederci.",
    "pt": "Obrigado por ligar para {name}. Todas as nossas linhas estão ocupadas. Ligue novamente dentro de alguns minutos. Adeus.",
    "nl": "Bedankt voor het bellen naar {name}. Al onze lijnen zijn bezet. Belt u over een paar minuten terug. Tot ziens.",
    "ja": "{name}にお電話いただきありがとうございます。ただいま回線が大変混み合っております。数分後におかけ直しください。",
}

LINES_BUSY_TRANSFER = {
    "en": "Thank you for calling {name}. All our lines are busy, so I'm putting you through to the team. Please hold.",
    "fr": "Merci d'appeler {name}. Toutes nos lignes sont occupées, je vous passe l'équipe. Merci de patienter.",
    "de": "Danke für Ihren Anruf bei {name}. Alle Leitungen sind belegt, ich verbinde Sie mit dem Team. Bitte bleiben Sie dran.",
    "es": "Gracias por llamar a {name}. Todas las líneas están ocupadas, le paso con el equipo. No cuelgue, por favor.",
    "it": "Grazie per aver chiamato {name}. Tutte le linee sono occupate, la passo al personale. Resti in linea.",
    "pt": "Obrigado por ligar para {name}. Todas as linhas estão ocupadas, vou passá-lo à equipa. Aguarde, por favor.",
    "nl": "Bedankt voor het bellen naar {name}. Al onze lijnen zijn bezet, ik verbind u door met het team. Een moment geduld.",
    "ja": "{name}にお電話いただきありがとうございます。回線が混み合っておりますので、スタッフにおつなぎします。少々お待ちください。",
}

TRANSFERRING = {
    "en": "Of course. I'm putting you through to the team now. Please hold.",
    "fr": "Bien sûr. Je vous passe l'équipe. Merci de patienter.",
    "de": "Gern. Ich verbinde Sie jetzt mit dem Team. Bitte bleiben Sie dran.",
    "es": "Por supuesto. Le paso ahora con el equipo. No cuelgue, por favor.",
    "it": "Certo. La passo subito al personale. Resti in linea.",
    "pt": "Com certeza. Vou passá-lo agora à equipa. Aguarde, por favor.",
    "nl": "Natuurlijk. Ik verbind u nu door met het team. Een moment geduld.",
    "ja": "かしこまりました。ただいまスタッフにおつなぎします。少々お待ちください。",
}

GOODBYE = {
    "en": "Thank you for calling {name}. Goodbye.",
    "fr": "Merci d'avoir appelé {name}. Au revoir.",
    "de": "Danke für Ihren Anruf bei {name}. Auf Wiederhören.",
    "es": "Gracias por llamar a {name}. Adiós.",
    "it": "Grazie per aver chiamato {name}. Arrivederci.",
    "pt": "Obrigado por ligar para {name}. Adeus.",
    "nl": "Bedankt voor het bellen naar {name}. Tot ziens.",
    "ja": "{name}にお電話いただきありがとうございました。失礼いたします。",
}

ALL = {
    "PHONE_GREETING": PHONE_GREETING,
    "LINES_BUSY": LINES_BUSY,
    "LINES_BUSY_TRANSFER": LINES_BUSY_TRANSFER,
    "TRANSFERRING": TRANSFERRING,
    "GOODBYE": GOODBYE,
}


def phone_greeting(snapshot: RestaurantSnapshot, language: str) -> str:
    """The restaurant's own greeting if it set one, else a greeting that fits a phone call."""
    return snapshot.greeting or say(PHONE_GREETING, language, name=snapshot.name)


def say(words: dict[str, str], language: str | None, *, name: str = "") -> str:
    return words.get((language or "en").split("-")[0], words["en"]).format(name=name)
