// Interface strings in the languages restaurants can choose for their agent (tenants/vocabulary.py).
// The agent itself speaks the restaurant's language; these are only the words on the button and panel.

export interface Strings {
  button: string;
  title: string;
  idle: string;
  connecting: string;
  waiting: string;
  listening: string;
  thinking: string;
  speaking: string;
  ended: string;
  mute: string;
  unmute: string;
  hangUp: string;
  retry: string;
  callAgain: string;
  close: string;
  you: string;
  agent: string;
  micDenied: string;
  micMissing: string;
  noAgent: string;
  busy: string;
  busyIn: (seconds: number) => string;
  unavailable: string;
  notAllowed: string;
  notFound: string;
  notTakingCalls: string;
  notLive: string;
  network: string;
  roomUnreachable: string;
  callDropped: string;
  unsupported: string;
}

const en: Strings = {
  notLive: "This restaurant is not taking calls yet. Please check back soon.",
  button: "Talk to us",
  title: "Voice assistant",
  idle: "Ask about opening hours, the menu or allergens.",
  connecting: "Connecting…",
  waiting: "Waiting for the assistant to join…",
  listening: "Listening",
  thinking: "Thinking…",
  speaking: "Speaking",
  ended: "Call ended. Thanks for calling!",
  mute: "Mute microphone",
  unmute: "Unmute microphone",
  hangUp: "Hang up",
  retry: "Try again",
  callAgain: "Call again",
  close: "Close",
  you: "You",
  agent: "Assistant",
  micDenied: "Microphone access was blocked. Allow the microphone for this site in your browser, then try again.",
  micMissing: "No microphone was found on this device.",
  noAgent: "The assistant didn't join in time. Please try again.",
  busy: "All our lines are busy right now. Please try again in a moment.",
  busyIn: (s) => `All our lines are busy right now. Please try again in ${s} seconds.`,
  unavailable: "The voice service is unavailable right now. Please try again shortly.",
  notAllowed: "The voice assistant is not enabled on this website.",
  notFound: "This restaurant's voice assistant could not be found.",
  notTakingCalls: "This restaurant is not taking calls right now.",
  network: "We couldn't reach the voice service. Check your connection and try again.",
  roomUnreachable: "We couldn't connect the call. Please try again.",
  callDropped: "The call dropped. Please try again.",
  unsupported: "This browser can't make voice calls. Please try a recent Chrome, Firefox, Safari or Edge.",
};

const fr: Strings = {
  ...en,
  notLive: "Ce restaurant ne prend pas encore d'appels. Revenez bientôt.",
  button: "Nous parler",
  title: "Assistant vocal",
  idle: "Horaires, menu, allergènes : posez vos questions.",
  connecting: "Connexion…",
  waiting: "L'assistant arrive…",
  listening: "À l'écoute",
  thinking: "Réflexion…",
  speaking: "Parle",
  ended: "Appel terminé. Merci !",
  mute: "Couper le micro",
  unmute: "Rétablir le micro",
  hangUp: "Raccrocher",
  retry: "Réessayer",
  callAgain: "Rappeler",
  close: "Fermer",
  you: "Vous",
  agent: "Assistant",
  micDenied: "L'accès au micro est bloqué. Autorisez le micro pour ce site dans le navigateur, puis réessayez.",
  micMissing: "Aucun micro n'a été trouvé sur cet appareil.",
  noAgent: "L'assistant n'a pas répondu à temps. Veuillez réessayer.",
  busy: "Toutes nos lignes sont occupées. Réessayez dans un instant.",
  busyIn: (s) => `Toutes nos lignes sont occupées. Réessayez dans ${s} secondes.`,
  unavailable: "Le service vocal est indisponible. Réessayez bientôt.",
  notAllowed: "L'assistant vocal n'est pas activé sur ce site.",
  notFound: "L'assistant de ce restaurant est introuvable.",
  notTakingCalls: "Ce restaurant ne prend pas d'appels pour le moment.",
  network: "Impossible de joindre le service vocal. Vérifiez votre connexion et réessayez.",
  roomUnreachable: "L'appel n'a pas pu être établi. Veuillez réessayer.",
  callDropped: "L'appel a été coupé. Veuillez réessayer.",
};

const es: Strings = {
  ...en,
  notLive: "Este restaurante aún no atiende llamadas. Vuelva pronto.",
  button: "Hablar con nosotros",
  title: "Asistente de voz",
  idle: "Pregunta por el horario, la carta o los alérgenos.",
  connecting: "Conectando…",
  waiting: "Esperando al asistente…",
  listening: "Escuchando",
  thinking: "Pensando…",
  speaking: "Hablando",
  ended: "Llamada finalizada. ¡Gracias!",
  mute: "Silenciar micrófono",
  unmute: "Activar micrófono",
  hangUp: "Colgar",
  retry: "Reintentar",
  close: "Cerrar",
  you: "Tú",
  agent: "Asistente",
  micDenied: "El micrófono está bloqueado. Permítelo para este sitio en el navegador y vuelve a intentarlo.",
  noAgent: "El asistente no se unió a tiempo. Inténtalo de nuevo.",
  busy: "Todas las líneas están ocupadas. Inténtalo de nuevo en un momento.",
  busyIn: (s) => `Todas las líneas están ocupadas. Inténtalo de nuevo en ${s} segundos.`,
  notAllowed: "El asistente de voz no está activado en este sitio web.",
  notTakingCalls: "Este restaurante no atiende llamadas ahora mismo.",
  network: "No pudimos contactar con el servicio de voz. Revisa tu conexión e inténtalo de nuevo.",
  roomUnreachable: "No se pudo conectar la llamada. Inténtalo de nuevo.",
};

const de: Strings = {
  ...en,
  notLive: "Dieses Restaurant nimmt noch keine Anrufe entgegen. Schauen Sie bald wieder vorbei.",
  button: "Mit uns sprechen",
  title: "Sprachassistent",
  idle: "Fragen Sie nach Öffnungszeiten, Speisekarte oder Allergenen.",
  connecting: "Verbinde…",
  waiting: "Warte auf den Assistenten…",
  listening: "Hört zu",
  thinking: "Denkt nach…",
  speaking: "Spricht",
  ended: "Anruf beendet. Danke!",
  mute: "Mikrofon stummschalten",
  unmute: "Mikrofon einschalten",
  hangUp: "Auflegen",
  retry: "Erneut versuchen",
  close: "Schließen",
  you: "Sie",
  agent: "Assistent",
  micDenied: "Der Mikrofonzugriff ist blockiert. Erlauben Sie das Mikrofon für diese Seite und versuchen Sie es erneut.",
  noAgent: "Der Assistent ist nicht rechtzeitig beigetreten. Bitte erneut versuchen.",
  busy: "Alle Leitungen sind belegt. Bitte versuchen Sie es gleich noch einmal.",
  busyIn: (s) => `Alle Leitungen sind belegt. Bitte in ${s} Sekunden erneut versuchen.`,
  notAllowed: "Der Sprachassistent ist auf dieser Website nicht aktiviert.",
  notTakingCalls: "Dieses Restaurant nimmt gerade keine Anrufe entgegen.",
  network: "Der Sprachdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
  roomUnreachable: "Der Anruf konnte nicht verbunden werden. Bitte erneut versuchen.",
};

const it: Strings = {
  ...en,
  notLive: "Questo ristorante non accetta ancora chiamate. Torna presto.",
  button: "Parla con noi",
  title: "Assistente vocale",
  idle: "Chiedi orari, menù o allergeni.",
  connecting: "Connessione…",
  waiting: "In attesa dell'assistente…",
  listening: "In ascolto",
  thinking: "Sto pensando…",
  speaking: "Sta parlando",
  ended: "Chiamata terminata. Grazie!",
  mute: "Disattiva microfono",
  unmute: "Attiva microfono",
  hangUp: "Riaggancia",
  retry: "Riprova",
  close: "Chiudi",
  you: "Tu",
  agent: "Assistente",
  notAllowed: "L'assistente vocale non è abilitato su questo sito.",
  roomUnreachable: "Non è stato possibile collegare la chiamata. Riprova.",
};

const pt: Strings = {
  ...en,
  notLive: "Este restaurante ainda não atende chamadas. Volte em breve.",
  button: "Fale connosco",
  title: "Assistente de voz",
  connecting: "A ligar…",
  listening: "A ouvir",
  thinking: "A pensar…",
  speaking: "A falar",
  hangUp: "Desligar",
  retry: "Tentar novamente",
  notAllowed: "O assistente de voz não está ativo neste site.",
};

const nl: Strings = {
  ...en,
  notLive: "Dit restaurant neemt nog geen oproepen aan. Kom snel terug.",
  button: "Praat met ons",
  title: "Spraakassistent",
  connecting: "Verbinden…",
  listening: "Luistert",
  thinking: "Denkt na…",
  speaking: "Spreekt",
  hangUp: "Ophangen",
  retry: "Opnieuw proberen",
  notAllowed: "De spraakassistent is niet ingeschakeld op deze website.",
};

const ja: Strings = {
  ...en,
  notLive: "このレストランはまだ通話を受け付けていません。しばらくしてからお試しください。",
  button: "音声で問い合わせ",
  title: "音声アシスタント",
  connecting: "接続中…",
  listening: "聞いています",
  thinking: "考えています…",
  speaking: "話しています",
  ended: "通話を終了しました。",
  hangUp: "切る",
  retry: "もう一度",
  notAllowed: "このウェブサイトでは音声アシスタントが有効になっていません。",
};

const TABLE: Record<string, Strings> = { en, fr, es, de, it, pt, nl, ja };

export function stringsFor(language: string | null | undefined): Strings {
  const base = (language || "").toLowerCase().split("-")[0];
  return TABLE[base] ?? en;
}
