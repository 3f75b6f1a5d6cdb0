// Interface strings in the languages restaurants can choose for their agent (tenants/vocabulary.py).
// The agent itself speaks the restaurant's language; these are only the words on the button and panel.
//
// Every language spells out every key (no `...en` fallback): TypeScript refuses a table with a key
// missing, and test/i18n.test.ts fails when a language leaves a diner-facing text in English.

export interface Strings {
  button: string;
  title: string;
  closedLauncher: string; // the launcher of a restaurant that is not taking calls
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
  transcript: string;
  callPhone: (phone: string) => string;
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
  button: "Talk to us",
  title: "Voice assistant",
  closedLauncher: "Not taking calls right now",
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
  transcript: "Transcript",
  callPhone: (phone) => `Call the restaurant: ${phone}`,
  micDenied: "Microphone access was blocked. Allow the microphone for this site in your browser, then try again.",
  micMissing: "No microphone was found on this device.",
  noAgent: "The assistant didn't join in time. Please try again.",
  busy: "All our lines are busy right now. Please try again in a moment.",
  busyIn: (s) => `All our lines are busy right now. Please try again in ${s} seconds.`,
  unavailable: "The voice service is unavailable right now. Please try again shortly.",
  notAllowed: "Voice calls aren't available on this website.",
  notFound: "This restaurant's voice assistant isn't available here.",
  notTakingCalls: "This restaurant is not taking calls right now.",
  notLive: "This restaurant is not taking calls yet. Please check back soon.",
  network: "We couldn't reach the voice service. Check your connection and try again.",
  roomUnreachable: "We couldn't connect the call. Please try again.",
  callDropped: "The call dropped. Please try again.",
  unsupported: "This browser can't make voice calls. Please try a recent Chrome, Firefox, Safari or Edge.",
};

const fr: Strings = {
  button: "Nous parler",
  title: "Assistant vocal",
  closedLauncher: "Appels indisponibles pour le moment",
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
  transcript: "Transcription",
  callPhone: (phone) => `Appeler le restaurant : ${phone}`,
  micDenied: "L'accès au micro est bloqué. Autorisez le micro pour ce site dans le navigateur, puis réessayez.",
  micMissing: "Aucun micro n'a été trouvé sur cet appareil.",
  noAgent: "L'assistant n'a pas répondu à temps. Veuillez réessayer.",
  busy: "Toutes nos lignes sont occupées. Réessayez dans un instant.",
  busyIn: (s) => `Toutes nos lignes sont occupées. Réessayez dans ${s} secondes.`,
  unavailable: "Le service vocal est indisponible. Réessayez bientôt.",
  notAllowed: "Les appels vocaux ne sont pas disponibles sur ce site.",
  notFound: "L'assistant vocal de ce restaurant n'est pas disponible ici.",
  notTakingCalls: "Ce restaurant ne prend pas d'appels pour le moment.",
  notLive: "Ce restaurant ne prend pas encore d'appels. Revenez bientôt.",
  network: "Impossible de joindre le service vocal. Vérifiez votre connexion et réessayez.",
  roomUnreachable: "L'appel n'a pas pu être établi. Veuillez réessayer.",
  callDropped: "L'appel a été coupé. Veuillez réessayer.",
  unsupported: "Ce navigateur ne permet pas les appels vocaux. Essayez une version récente de Chrome, Firefox, Safari ou Edge.",
};

const es: Strings = {
  button: "Hablar con nosotros",
  title: "Asistente de voz",
  closedLauncher: "No atendemos llamadas ahora",
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
  callAgain: "Volver a llamar",
  close: "Cerrar",
  you: "Tú",
  agent: "Asistente",
  transcript: "Transcripción",
  callPhone: (phone) => `Llamar al restaurante: ${phone}`,
  micDenied: "El micrófono está bloqueado. Permítelo para este sitio en el navegador y vuelve a intentarlo.",
  micMissing: "No se ha encontrado ningún micrófono en este dispositivo.",
  noAgent: "El asistente no se unió a tiempo. Inténtalo de nuevo.",
  busy: "Todas las líneas están ocupadas. Inténtalo de nuevo en un momento.",
  busyIn: (s) => `Todas las líneas están ocupadas. Inténtalo de nuevo en ${s} segundos.`,
  unavailable: "El servicio de voz no está disponible ahora mismo. Inténtalo de nuevo en breve.",
  notAllowed: "Las llamadas de voz no están disponibles en este sitio web.",
  notFound: "El asistente de voz de este restaurante no está disponible aquí.",
  notTakingCalls: "Este restaurante no atiende llamadas ahora mismo.",
  notLive: "Este restaurante aún no atiende llamadas. Vuelve pronto.",
  network: "No pudimos contactar con el servicio de voz. Revisa tu conexión e inténtalo de nuevo.",
  roomUnreachable: "No se pudo conectar la llamada. Inténtalo de nuevo.",
  callDropped: "La llamada se ha cortado. Inténtalo de nuevo.",
  unsupported: "Este navegador no permite llamadas de voz. Prueba una versión reciente de Chrome, Firefox, Safari o Edge.",
};

const de: Strings = {
  button: "Mit uns sprechen",
  title: "Sprachassistent",
  closedLauncher: "Derzeit keine Anrufe",
  idle: "Fragen Sie nach Öffnungszeiten, Speisekarte oder Allergenen.",
  connecting: "Verbinde…",
  waiting: "Warte auf den Assistenten…",
  listening: "Hört zu",
  thinking: "Denkt nach…",
  speaking: "Spricht",
  ended: "Anruf beendet. Danke für Ihren Anruf!",
  mute: "Mikrofon stummschalten",
  unmute: "Mikrofon einschalten",
  hangUp: "Auflegen",
  retry: "Erneut versuchen",
  callAgain: "Erneut anrufen",
  close: "Schließen",
  you: "Sie",
  agent: "Assistent",
  transcript: "Gesprächsverlauf",
  callPhone: (phone) => `Restaurant anrufen: ${phone}`,
  micDenied: "Der Mikrofonzugriff ist blockiert. Erlauben Sie das Mikrofon für diese Seite und versuchen Sie es erneut.",
  micMissing: "Auf diesem Gerät wurde kein Mikrofon gefunden.",
  noAgent: "Der Assistent ist nicht rechtzeitig beigetreten. Bitte erneut versuchen.",
  busy: "Alle Leitungen sind belegt. Bitte versuchen Sie es gleich noch einmal.",
  busyIn: (s) => `Alle Leitungen sind belegt. Bitte in ${s} Sekunden erneut versuchen.`,
  unavailable: "Der Sprachdienst ist gerade nicht verfügbar. Bitte versuchen Sie es in Kürze erneut.",
  notAllowed: "Sprachanrufe sind auf dieser Website nicht verfügbar.",
  notFound: "Der Sprachassistent dieses Restaurants ist hier nicht verfügbar.",
  notTakingCalls: "Dieses Restaurant nimmt gerade keine Anrufe entgegen.",
  notLive: "Dieses Restaurant nimmt noch keine Anrufe entgegen. Schauen Sie bald wieder vorbei.",
  network: "Der Sprachdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
  roomUnreachable: "Der Anruf konnte nicht verbunden werden. Bitte erneut versuchen.",
  callDropped: "Die Verbindung wurde unterbrochen. Bitte erneut versuchen.",
  unsupported: "Dieser Browser unterstützt keine Sprachanrufe. Bitte nutzen Sie ein aktuelles Chrome, Firefox, Safari oder Edge.",
};

const it: Strings = {
  button: "Parla con noi",
  title: "Assistente vocale",
  closedLauncher: "Chiamate non disponibili al momento",
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
  callAgain: "Richiama",
  close: "Chiudi",
  you: "Tu",
  agent: "Assistente",
  transcript: "Trascrizione",
  callPhone: (phone) => `Chiama il ristorante: ${phone}`,
  micDenied: "L'accesso al microfono è bloccato. Consenti il microfono per questo sito nel browser, poi riprova.",
  micMissing: "Nessun microfono trovato su questo dispositivo.",
  noAgent: "L'assistente non si è collegato in tempo. Riprova.",
  busy: "Tutte le linee sono occupate. Riprova tra un momento.",
  busyIn: (s) => `Tutte le linee sono occupate. Riprova tra ${s} secondi.`,
  unavailable: "Il servizio vocale non è disponibile al momento. Riprova tra poco.",
  notAllowed: "Le chiamate vocali non sono disponibili su questo sito.",
  notFound: "L'assistente vocale di questo ristorante non è disponibile qui.",
  notTakingCalls: "Questo ristorante non accetta chiamate al momento.",
  notLive: "Questo ristorante non accetta ancora chiamate. Torna presto.",
  network: "Impossibile raggiungere il servizio vocale. Controlla la connessione e riprova.",
  roomUnreachable: "Non è stato possibile collegare la chiamata. Riprova.",
  callDropped: "La chiamata si è interrotta. Riprova.",
  unsupported: "Questo browser non supporta le chiamate vocali. Prova una versione recente di Chrome, Firefox, Safari o Edge.",
};

const pt: Strings = {
  button: "Fale connosco",
  title: "Assistente de voz",
  closedLauncher: "Sem chamadas de momento",
  idle: "Pergunte pelo horário, pela ementa ou pelos alergénios.",
  connecting: "A ligar…",
  waiting: "À espera do assistente…",
  listening: "A ouvir",
  thinking: "A pensar…",
  speaking: "A falar",
  ended: "Chamada terminada. Obrigado!",
  mute: "Silenciar microfone",
  unmute: "Ativar microfone",
  hangUp: "Desligar",
  retry: "Tentar novamente",
  callAgain: "Ligar de novo",
  close: "Fechar",
  you: "Você",
  agent: "Assistente",
  transcript: "Transcrição",
  callPhone: (phone) => `Ligar para o restaurante: ${phone}`,
  micDenied: "O acesso ao microfone está bloqueado. Permita o microfone para este site no navegador e tente novamente.",
  micMissing: "Não foi encontrado nenhum microfone neste dispositivo.",
  noAgent: "O assistente não entrou a tempo. Tente novamente.",
  busy: "Todas as linhas estão ocupadas. Tente novamente daqui a pouco.",
  busyIn: (s) => `Todas as linhas estão ocupadas. Tente novamente dentro de ${s} segundos.`,
  unavailable: "O serviço de voz está indisponível de momento. Tente novamente em breve.",
  notAllowed: "As chamadas de voz não estão disponíveis neste site.",
  notFound: "O assistente de voz deste restaurante não está disponível aqui.",
  notTakingCalls: "Este restaurante não está a atender chamadas de momento.",
  notLive: "Este restaurante ainda não atende chamadas. Volte em breve.",
  network: "Não foi possível contactar o serviço de voz. Verifique a sua ligação e tente novamente.",
  roomUnreachable: "Não foi possível estabelecer a chamada. Tente novamente.",
  callDropped: "A chamada caiu. Tente novamente.",
  unsupported: "Este navegador não permite chamadas de voz. Experimente uma versão recente do Chrome, Firefox, Safari ou Edge.",
};

const nl: Strings = {
  button: "Praat met ons",
  title: "Spraakassistent",
  closedLauncher: "Nu geen oproepen",
  idle: "Vraag naar openingstijden, de menukaart of allergenen.",
  connecting: "Verbinden…",
  waiting: "Wachten op de assistent…",
  listening: "Luistert",
  thinking: "Denkt na…",
  speaking: "Spreekt",
  ended: "Gesprek beëindigd. Bedankt voor het bellen!",
  mute: "Microfoon dempen",
  unmute: "Microfoon aanzetten",
  hangUp: "Ophangen",
  retry: "Opnieuw proberen",
  callAgain: "Opnieuw bellen",
  close: "Sluiten",
  you: "U",
  agent: "Assistent",
  transcript: "Gespreksverslag",
  callPhone: (phone) => `Bel het restaurant: ${phone}`,
  micDenied: "De toegang tot de microfoon is geblokkeerd. Sta de microfoon voor deze site toe in uw browser en probeer het opnieuw.",
  micMissing: "Er is geen microfoon gevonden op dit apparaat.",
  noAgent: "De assistent kwam niet op tijd. Probeer het opnieuw.",
  busy: "Alle lijnen zijn bezet. Probeer het zo opnieuw.",
  busyIn: (s) => `Alle lijnen zijn bezet. Probeer het over ${s} seconden opnieuw.`,
  unavailable: "De spraakdienst is nu niet beschikbaar. Probeer het straks opnieuw.",
  notAllowed: "Spraakoproepen zijn niet beschikbaar op deze website.",
  notFound: "De spraakassistent van dit restaurant is hier niet beschikbaar.",
  notTakingCalls: "Dit restaurant neemt op dit moment geen oproepen aan.",
  notLive: "Dit restaurant neemt nog geen oproepen aan. Kom snel terug.",
  network: "We konden de spraakdienst niet bereiken. Controleer uw verbinding en probeer het opnieuw.",
  roomUnreachable: "Het gesprek kon niet worden verbonden. Probeer het opnieuw.",
  callDropped: "Het gesprek is verbroken. Probeer het opnieuw.",
  unsupported: "Deze browser ondersteunt geen spraakoproepen. Probeer een recente versie van Chrome, Firefox, Safari of Edge.",
};

const ja: Strings = {
  button: "音声で問い合わせ",
  title: "音声アシスタント",
  closedLauncher: "現在、通話を受け付けていません",
  idle: "営業時間、メニュー、アレルギー情報についてお尋ねください。",
  connecting: "接続中…",
  waiting: "アシスタントの参加を待っています…",
  listening: "聞いています",
  thinking: "考えています…",
  speaking: "話しています",
  ended: "通話を終了しました。お電話ありがとうございました。",
  mute: "マイクをミュート",
  unmute: "ミュートを解除",
  hangUp: "通話を終了",
  retry: "もう一度試す",
  callAgain: "もう一度かける",
  close: "閉じる",
  you: "あなた",
  agent: "アシスタント",
  transcript: "会話の記録",
  callPhone: (phone) => `レストランに電話する: ${phone}`,
  micDenied: "マイクへのアクセスがブロックされています。ブラウザでこのサイトのマイクを許可してから、もう一度お試しください。",
  micMissing: "この端末にマイクが見つかりません。",
  noAgent: "アシスタントが時間内に参加しませんでした。もう一度お試しください。",
  busy: "ただいま回線が混み合っています。しばらくしてからもう一度お試しください。",
  busyIn: (s) => `ただいま回線が混み合っています。${s}秒後にもう一度お試しください。`,
  unavailable: "現在、音声サービスをご利用いただけません。しばらくしてからお試しください。",
  notAllowed: "このウェブサイトでは音声通話をご利用いただけません。",
  notFound: "このレストランの音声アシスタントはここではご利用いただけません。",
  notTakingCalls: "このレストランは現在、通話を受け付けていません。",
  notLive: "このレストランはまだ通話を受け付けていません。しばらくしてからお試しください。",
  network: "音声サービスに接続できませんでした。接続を確認して、もう一度お試しください。",
  roomUnreachable: "通話を接続できませんでした。もう一度お試しください。",
  callDropped: "通話が切断されました。もう一度お試しください。",
  unsupported: "このブラウザは音声通話に対応していません。最新の Chrome、Firefox、Safari、Edge をお試しください。",
};

export const TABLE: Readonly<Record<string, Strings>> = { en, fr, es, de, it, pt, nl, ja };

export function stringsFor(language: string | null | undefined): Strings {
  const base = (language || "").toLowerCase().split("-")[0];
  return TABLE[base] ?? en;
}
