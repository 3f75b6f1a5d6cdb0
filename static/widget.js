/* Hostline voice widget. Source: widget/src in the Hostline repository. */
"use strict";(()=>{var l={notLive:"This restaurant is not taking calls yet. Please check back soon.",button:"Talk to us",title:"Voice assistant",idle:"Ask about opening hours, the menu or allergens.",connecting:"Connecting\u2026",waiting:"Waiting for the assistant to join\u2026",listening:"Listening",thinking:"Thinking\u2026",speaking:"Speaking",ended:"Call ended. Thanks for calling!",mute:"Mute microphone",unmute:"Unmute microphone",hangUp:"Hang up",retry:"Try again",callAgain:"Call again",close:"Close",you:"You",agent:"Assistant",micDenied:"Microphone access was blocked. Allow the microphone for this site in your browser, then try again.",micMissing:"No microphone was found on this device.",noAgent:"The assistant didn't join in time. Please try again.",busy:"All our lines are busy right now. Please try again in a moment.",busyIn:t=>`All our lines are busy right now. Please try again in ${t} seconds.`,unavailable:"The voice service is unavailable right now. Please try again shortly.",notAllowed:"The voice assistant is not enabled on this website.",notFound:"This restaurant's voice assistant could not be found.",notTakingCalls:"This restaurant is not taking calls right now.",network:"We couldn't reach the voice service. Check your connection and try again.",roomUnreachable:"We couldn't connect the call. Please try again.",callDropped:"The call dropped. Please try again.",unsupported:"This browser can't make voice calls. Please try a recent Chrome, Firefox, Safari or Edge."},M={...l,notLive:"Ce restaurant ne prend pas encore d'appels. Revenez bient\xF4t.",button:"Nous parler",title:"Assistant vocal",idle:"Horaires, menu, allerg\xE8nes : posez vos questions.",connecting:"Connexion\u2026",waiting:"L'assistant arrive\u2026",listening:"\xC0 l'\xE9coute",thinking:"R\xE9flexion\u2026",speaking:"Parle",ended:"Appel termin\xE9. Merci !",mute:"Couper le micro",unmute:"R\xE9tablir le micro",hangUp:"Raccrocher",retry:"R\xE9essayer",callAgain:"Rappeler",close:"Fermer",you:"Vous",agent:"Assistant",micDenied:"L'acc\xE8s au micro est bloqu\xE9. Autorisez le micro pour ce site dans le navigateur, puis r\xE9essayez.",micMissing:"Aucun micro n'a \xE9t\xE9 trouv\xE9 sur cet appareil.",noAgent:"L'assistant n'a pas r\xE9pondu \xE0 temps. Veuillez r\xE9essayer.",busy:"Toutes nos lignes sont occup\xE9es. R\xE9essayez dans un instant.",busyIn:t=>`Toutes nos lignes sont occup\xE9es. R\xE9essayez dans ${t} secondes.`,unavailable:"Le service vocal est indisponible. R\xE9essayez bient\xF4t.",notAllowed:"L'assistant vocal n'est pas activ\xE9 sur ce site.",notFound:"L'assistant de ce restaurant est introuvable.",notTakingCalls:"Ce restaurant ne prend pas d'appels pour le moment.",network:"Impossible de joindre le service vocal. V\xE9rifiez votre connexion et r\xE9essayez.",roomUnreachable:"L'appel n'a pas pu \xEAtre \xE9tabli. Veuillez r\xE9essayer.",callDropped:"L'appel a \xE9t\xE9 coup\xE9. Veuillez r\xE9essayer."},B={...l,notLive:"Este restaurante a\xFAn no atiende llamadas. Vuelva pronto.",button:"Hablar con nosotros",title:"Asistente de voz",idle:"Pregunta por el horario, la carta o los al\xE9rgenos.",connecting:"Conectando\u2026",waiting:"Esperando al asistente\u2026",listening:"Escuchando",thinking:"Pensando\u2026",speaking:"Hablando",ended:"Llamada finalizada. \xA1Gracias!",mute:"Silenciar micr\xF3fono",unmute:"Activar micr\xF3fono",hangUp:"Colgar",retry:"Reintentar",close:"Cerrar",you:"T\xFA",agent:"Asistente",micDenied:"El micr\xF3fono est\xE1 bloqueado. Perm\xEDtelo para este sitio en el navegador y vuelve a intentarlo.",noAgent:"El asistente no se uni\xF3 a tiempo. Int\xE9ntalo de nuevo.",busy:"Todas las l\xEDneas est\xE1n ocupadas. Int\xE9ntalo de nuevo en un momento.",busyIn:t=>`Todas las l\xEDneas est\xE1n ocupadas. Int\xE9ntalo de nuevo en ${t} segundos.`,notAllowed:"El asistente de voz no est\xE1 activado en este sitio web.",notTakingCalls:"Este restaurante no atiende llamadas ahora mismo.",network:"No pudimos contactar con el servicio de voz. Revisa tu conexi\xF3n e int\xE9ntalo de nuevo.",roomUnreachable:"No se pudo conectar la llamada. Int\xE9ntalo de nuevo."},H={...l,notLive:"Dieses Restaurant nimmt noch keine Anrufe entgegen. Schauen Sie bald wieder vorbei.",button:"Mit uns sprechen",title:"Sprachassistent",idle:"Fragen Sie nach \xD6ffnungszeiten, Speisekarte oder Allergenen.",connecting:"Verbinde\u2026",waiting:"Warte auf den Assistenten\u2026",listening:"H\xF6rt zu",thinking:"Denkt nach\u2026",speaking:"Spricht",ended:"Anruf beendet. Danke!",mute:"Mikrofon stummschalten",unmute:"Mikrofon einschalten",hangUp:"Auflegen",retry:"Erneut versuchen",close:"Schlie\xDFen",you:"Sie",agent:"Assistent",micDenied:"Der Mikrofonzugriff ist blockiert. Erlauben Sie das Mikrofon f\xFCr diese Seite und versuchen Sie es erneut.",noAgent:"Der Assistent ist nicht rechtzeitig beigetreten. Bitte erneut versuchen.",busy:"Alle Leitungen sind belegt. Bitte versuchen Sie es gleich noch einmal.",busyIn:t=>`Alle Leitungen sind belegt. Bitte in ${t} Sekunden erneut versuchen.`,notAllowed:"Der Sprachassistent ist auf dieser Website nicht aktiviert.",notTakingCalls:"Dieses Restaurant nimmt gerade keine Anrufe entgegen.",network:"Der Sprachdienst ist nicht erreichbar. Pr\xFCfen Sie Ihre Verbindung und versuchen Sie es erneut.",roomUnreachable:"Der Anruf konnte nicht verbunden werden. Bitte erneut versuchen."},_={...l,notLive:"Questo ristorante non accetta ancora chiamate. Torna presto.",button:"Parla con noi",title:"Assistente vocale",idle:"Chiedi orari, men\xF9 o allergeni.",connecting:"Connessione\u2026",waiting:"In attesa dell'assistente\u2026",listening:"In ascolto",thinking:"Sto pensando\u2026",speaking:"Sta parlando",ended:"Chiamata terminata. Grazie!",mute:"Disattiva microfono",unmute:"Attiva microfono",hangUp:"Riaggancia",retry:"Riprova",close:"Chiudi",you:"Tu",agent:"Assistente",notAllowed:"L'assistente vocale non \xE8 abilitato su questo sito.",roomUnreachable:"Non \xE8 stato possibile collegare la chiamata. Riprova."},I={...l,notLive:"Este restaurante ainda n\xE3o atende chamadas. Volte em breve.",button:"Fale connosco",title:"Assistente de voz",connecting:"A ligar\u2026",listening:"A ouvir",thinking:"A pensar\u2026",speaking:"A falar",hangUp:"Desligar",retry:"Tentar novamente",notAllowed:"O assistente de voz n\xE3o est\xE1 ativo neste site."},z={...l,notLive:"Dit restaurant neemt nog geen oproepen aan. Kom snel terug.",button:"Praat met ons",title:"Spraakassistent",connecting:"Verbinden\u2026",listening:"Luistert",thinking:"Denkt na\u2026",speaking:"Spreekt",hangUp:"Ophangen",retry:"Opnieuw proberen",notAllowed:"De spraakassistent is niet ingeschakeld op deze website."},D={...l,notLive:"\u3053\u306E\u30EC\u30B9\u30C8\u30E9\u30F3\u306F\u307E\u3060\u901A\u8A71\u3092\u53D7\u3051\u4ED8\u3051\u3066\u3044\u307E\u305B\u3093\u3002\u3057\u3070\u3089\u304F\u3057\u3066\u304B\u3089\u304A\u8A66\u3057\u304F\u3060\u3055\u3044\u3002",button:"\u97F3\u58F0\u3067\u554F\u3044\u5408\u308F\u305B",title:"\u97F3\u58F0\u30A2\u30B7\u30B9\u30BF\u30F3\u30C8",connecting:"\u63A5\u7D9A\u4E2D\u2026",listening:"\u805E\u3044\u3066\u3044\u307E\u3059",thinking:"\u8003\u3048\u3066\u3044\u307E\u3059\u2026",speaking:"\u8A71\u3057\u3066\u3044\u307E\u3059",ended:"\u901A\u8A71\u3092\u7D42\u4E86\u3057\u307E\u3057\u305F\u3002",hangUp:"\u5207\u308B",retry:"\u3082\u3046\u4E00\u5EA6",notAllowed:"\u3053\u306E\u30A6\u30A7\u30D6\u30B5\u30A4\u30C8\u3067\u306F\u97F3\u58F0\u30A2\u30B7\u30B9\u30BF\u30F3\u30C8\u304C\u6709\u52B9\u306B\u306A\u3063\u3066\u3044\u307E\u305B\u3093\u3002"},U={en:l,fr:M,es:B,de:H,it:_,pt:I,nl:z,ja:D};function w(t){let e=(t||"").toLowerCase().split("-")[0];return U[e]??l}var k=`
:host { all: initial; }
.root {
  all: initial;
  display: block;
  --hl-accent: #0f766e;
  --hl-on-accent: #ffffff;
  --hl-bg: #ffffff;
  --hl-fg: #111827;
  --hl-muted: #6b7280;
  --hl-danger: #b91c1c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.4;
  color: var(--hl-fg);
}
.root[data-mode="inline"] { display: inline-block; position: relative; }
.root[data-mode="floating"] { display: flex; flex-direction: column; gap: 12px; }
.root[data-position="bottom-right"] { align-items: flex-end; }
.root[data-position="bottom-left"] { align-items: flex-start; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button {
  font: inherit;
  cursor: pointer;
  border: 0;
  border-radius: 999px;
  padding: 10px 16px;
  min-height: 44px;
}
button:disabled { opacity: 0.5; cursor: default; }
.again { margin: 4px 16px 14px; background: var(--hl-accent); color: var(--hl-on-accent); align-self: flex-start; }
button:focus-visible { outline: 3px solid var(--hl-accent); outline-offset: 2px; }
.launch {
  display: inline-flex;
  align-items: center;
  gap: 8px;
  background: var(--hl-accent);
  color: var(--hl-on-accent);
  font-weight: 600;
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.18);
}
.launch svg, .icon svg { width: 18px; height: 18px; fill: currentColor; flex: none; }
.panel {
  width: min(360px, calc(100vw - 24px));
  background: var(--hl-bg);
  color: var(--hl-fg);
  border-radius: 16px;
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.22);
  border: 1px solid rgba(0, 0, 0, 0.08);
  display: flex;
  flex-direction: column;
  overflow: hidden;
}
.root[data-mode="inline"] .panel { position: absolute; top: calc(100% + 8px); left: 0; z-index: 2147483000; }
header {
  display: flex;
  align-items: center;
  justify-content: space-between;
  padding: 12px 12px 12px 16px;
  background: var(--hl-accent);
  color: var(--hl-on-accent);
}
.title { font-weight: 600; }
.close { background: transparent; color: inherit; padding: 6px 12px; min-height: 36px; font-size: 20px; line-height: 1; }
.status { display: flex; align-items: center; gap: 10px; padding: 14px 16px 6px; font-weight: 600; }
.dot { width: 12px; height: 12px; border-radius: 50%; background: var(--hl-muted); flex: none; }
.root[data-state="listening"] .dot { background: #16a34a; }
.root[data-state="thinking"] .dot { background: #d97706; animation: hl-pulse 1s ease-in-out infinite; }
.root[data-state="speaking"] .dot { background: var(--hl-accent); animation: hl-pulse 0.6s ease-in-out infinite; }
.root[data-state="connecting"] .dot, .root[data-state="waiting"] .dot { animation: hl-pulse 1.2s ease-in-out infinite; }
.root[data-state="error"] .dot { background: var(--hl-danger); }
@keyframes hl-pulse { 50% { transform: scale(0.6); opacity: 0.6; } }
@media (prefers-reduced-motion: reduce) { .dot { animation: none !important; } }
.hint { color: var(--hl-muted); padding: 0 16px 8px; margin: 0; font-size: 14px; }
.error { margin: 4px 16px 8px; padding: 10px 12px; border-radius: 10px; background: #fef2f2; color: var(--hl-danger); }
.error p { margin: 0 0 8px; }
.retry { background: var(--hl-danger); color: #fff; padding: 8px 14px; min-height: 40px; }
.transcript {
  list-style: none;
  margin: 0;
  padding: 8px 16px;
  max-height: 240px;
  overflow-y: auto;
  display: flex;
  flex-direction: column;
  gap: 6px;
}
.transcript:empty { display: none; }
.line { padding: 6px 10px; border-radius: 12px; max-width: 85%; word-wrap: break-word; }
.line.agent { background: #f3f4f6; align-self: flex-start; }
.line.user { background: var(--hl-accent); color: var(--hl-on-accent); align-self: flex-end; }
.line.interim { opacity: 0.7; }
.who { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { display: flex; gap: 8px; padding: 10px 16px 14px; }
.mute { background: #f3f4f6; color: var(--hl-fg); flex: 1; }
.mute[aria-pressed="true"] { background: #fde68a; }
.hangup { background: var(--hl-danger); color: #fff; flex: 1; }
@media (max-width: 480px) {
  .panel { position: fixed !important; left: 8px !important; right: 8px; bottom: 8px; top: auto !important; width: auto; max-height: calc(100vh - 16px); }
  .transcript { max-height: 40vh; }
}
`;var R=2e4,m=null;function T(t){return window.__hostlineCall?Promise.resolve(window.__hostlineCall.CallSession):m||(m=new Promise((e,i)=>{let n=document.createElement("script");n.src=`${t}/widget-call.js?v=f554c0dcea24`,n.async=!0;let s=setTimeout(()=>i(new Error("timeout")),R);n.onload=()=>{clearTimeout(s),window.__hostlineCall?e(window.__hostlineCall.CallSession):i(new Error("call bundle did not register"))},n.onerror=()=>{clearTimeout(s),i(new Error("call bundle failed to load"))},document.head.append(n)}).catch(e=>{throw m=null,e}),m)}var P='<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"/></svg>',L=new Set(["connecting","waiting","listening","thinking","speaking"]),b=null;function F(t,e){return{mic_denied:t.micDenied,mic_missing:t.micMissing,unsupported:t.unsupported,busy:e.retryAfterSeconds?t.busyIn(e.retryAfterSeconds):t.busy,unavailable:t.unavailable,not_allowed:t.notAllowed,not_found:t.notFound,not_taking_calls:t.notTakingCalls,not_live:t.notLive,network:t.network,room_unreachable:t.roomUnreachable,no_agent:t.noAgent,call_dropped:t.callDropped}[e.kind]}function a(t,e={},i=""){let n=document.createElement(t);for(let[s,o]of Object.entries(e))n.setAttribute(s,o);return i&&(n.textContent=i),n}var f=class{constructor(e,i){this.options=e;this.session=null;this.lines=new Map;this.rendered=!1;if(this.strings=w(e.uiLanguage),this.host=a("div",{"data-hostline-widget":e.restaurantId,"data-mode":e.mode,"data-position":e.position}),e.mode==="floating"){let h=e.position==="bottom-left"?"left":"right";this.host.style.cssText=`position:fixed!important;bottom:20px!important;${h}:20px!important;z-index:2147483000!important;margin:0!important;padding:0!important;border:0!important;width:auto!important;height:auto!important;display:block!important;transform:none!important;`}let n=this.host.attachShadow({mode:"open"}),s=a("style");s.textContent=k,n.append(s);let o=this.strings,r=`hostline-panel-${e.restaurantId}`;this.root=a("div",{class:"root","data-state":"idle","data-mode":e.mode,"data-position":e.position,part:"root"}),e.accent&&this.root.style.setProperty("--hl-accent",e.accent),this.launch=a("button",{type:"button",class:"launch","aria-haspopup":"dialog","aria-expanded":"false","aria-controls":r}),this.launch.innerHTML=P,this.launch.append(a("span",{},e.buttonText||o.button)),this.panel=a("section",{class:"panel",id:r,role:"dialog","aria-label":o.title}),this.panel.hidden=!0;let c=a("header"),u=a("button",{type:"button",class:"close","aria-label":o.close},"\xD7");c.append(a("span",{class:"title"},o.title),u);let p=a("div",{class:"status",role:"status","aria-live":"polite"});this.statusText=a("span",{class:"status-text"}),p.append(a("span",{class:"dot","aria-hidden":"true"}),this.statusText),this.hint=a("p",{class:"hint"},o.idle),this.errorBox=a("div",{class:"error",role:"alert"}),this.errorBox.hidden=!0,this.errorText=a("p");let g=a("button",{type:"button",class:"retry"},o.retry);this.errorBox.append(this.errorText,g),this.again=a("button",{type:"button",class:"again"},o.callAgain),this.again.hidden=!0,this.transcript=a("ol",{class:"transcript","aria-label":"Transcript","aria-live":"polite"});let x=a("footer");this.muteButton=a("button",{type:"button",class:"mute","aria-pressed":"false"},o.mute),this.hangupButton=a("button",{type:"button",class:"hangup"},o.hangUp),x.append(this.muteButton,this.hangupButton),this.media=a("div",{hidden:""}),this.footer=x,this.status=p,this.panel.append(c,p,this.hint,this.errorBox,this.transcript,this.again,x),this.root.append(this.panel,this.launch,this.media),n.append(this.root),this.launch.addEventListener("click",()=>this.open());let y=()=>{T(e.apiBase).catch(()=>{})};this.launch.addEventListener("pointerenter",y,{once:!0}),this.launch.addEventListener("focus",y,{once:!0}),u.addEventListener("click",()=>this.close()),g.addEventListener("click",()=>{this.startCall()}),this.again.addEventListener("click",()=>{this.startCall()}),this.muteButton.addEventListener("click",()=>{var h;(h=this.session)==null?void 0:h.setMuted(!this.session.muted)}),this.hangupButton.addEventListener("click",()=>this.hangUp()),this.panel.addEventListener("keydown",h=>{h.key==="Escape"&&this.close()}),i.append(this.host),this.render("idle")}open(){this.panel.hidden=!1,this.launch.hidden=!0,this.launch.setAttribute("aria-expanded","true"),this.startCall()}close(){this.hangUp(),this.panel.hidden=!0,this.launch.hidden=!1,this.launch.setAttribute("aria-expanded","false"),this.launch.focus()}hangUp(){var e;(e=this.session)==null||e.end()}async startCall(){if(this.session&&L.has(this.session.state))return;b&&b!==this&&b.hangUp(),b=this,this.transcript.replaceChildren(),this.lines.clear(),this.media.replaceChildren(),this.render("connecting");let e;try{e=await T(this.options.apiBase)}catch{this.render("error",{kind:"network",retryAfterSeconds:null});return}let i=new e({apiBase:this.options.apiBase,restaurantId:this.options.restaurantId,language:this.options.language,agentJoinTimeoutMs:this.options.agentJoinTimeoutMs},{state:(n,s)=>this.render(n,s),transcript:n=>this.showLine(n),audioElement:n=>this.media.append(n),muted:n=>{this.muteButton.setAttribute("aria-pressed",String(n)),this.muteButton.textContent=n?this.strings.unmute:this.strings.mute}});this.session=i,this.hangupButton.focus(),await i.start()}render(e,i){var c;let n=this.strings,s=this.root.dataset.state!==e||(this.root.dataset.error??"")!==((i==null?void 0:i.kind)??"");this.root.dataset.state=e,this.root.dataset.error=(i==null?void 0:i.kind)??"";let o={idle:n.title,connecting:n.connecting,waiting:n.waiting,listening:n.listening,thinking:n.thinking,speaking:n.speaking,ended:n.ended,error:i?F(n,i):n.unavailable};this.statusText.textContent=e==="error"?"":o[e],this.errorBox.hidden=e!=="error",this.errorText.textContent=e==="error"?o.error:"",this.hint.hidden=e!=="idle"&&e!=="connecting";let r=L.has(e);this.status.hidden=e==="error",this.footer.hidden=!r,this.again.hidden=e!=="ended",this.muteButton.disabled=!r||e==="connecting",this.hangupButton.disabled=!r,r||(this.muteButton.setAttribute("aria-pressed","false"),this.muteButton.textContent=n.mute),e==="error"&&((c=this.errorBox.querySelector("button"))==null||c.focus()),!(!s&&this.rendered)&&(this.rendered=!0,this.host.dispatchEvent(new CustomEvent("hostline:state",{detail:{state:e,error:(i==null?void 0:i.kind)??null},bubbles:!0,composed:!0})))}showLine(e){let i=this.lines.get(e.id);i||(i=a("li",{class:`line ${e.speaker}`}),i.append(a("span",{class:"who"},`${e.speaker==="agent"?this.strings.agent:this.strings.you}: `)),i.append(a("span",{class:"text"})),this.lines.set(e.id,i),this.transcript.append(i)),i.classList.toggle("interim",!e.final);let n=i.querySelector(".text");n&&(n.textContent=e.text),this.transcript.scrollTop=this.transcript.scrollHeight}};var O=/^[A-Za-z0-9_-]{1,32}$/,A=/^[a-z]{2}(-[A-Za-z0-9]{2,8})?$/,N=2e4,v="data-hostline-mounted",d=document.currentScript??document.querySelector('script[src*="widget.js"]');function W(t){let i=(t==null?void 0:t.dataset.apiBase)||(t==null?void 0:t.src)||window.location.href;return new URL(i,window.location.href).origin}function C(t,e,i){var p;let n=g=>t[g]??e[g],s=(i==="floating"?t.restaurant:t.hostlineRestaurant)??"";if(!O.test(s))return console.error(`Hostline widget: "${s}" is not a restaurant id; copy the snippet from the admin.`),null;let o=n("accent")??null,r=(n("language")??"").toLowerCase(),c=r||(document.documentElement.lang??"").toLowerCase(),u=Number.parseInt(n("agentTimeout")??"",10);return{restaurantId:s,apiBase:W(d),mode:i,position:n("position")==="bottom-left"?"bottom-left":"bottom-right",accent:o&&CSS.supports("color",o)?o:null,buttonText:((p=n("buttonText"))==null?void 0:p.slice(0,40))||null,language:A.test(r)?r:null,uiLanguage:A.test(c)?c:null,agentJoinTimeoutMs:Number.isFinite(u)&&u>=1&&u<=120?u*1e3:N}}function E(t){if(t.hasAttribute(v))return null;let e=C(t.dataset,(d==null?void 0:d.dataset)??{},"inline");return e?(t.setAttribute(v,""),new f(e,t)):null}function S(){if(d&&d.dataset.restaurant!==void 0&&!d.hasAttribute(v)){d.setAttribute(v,"");let t=C(d.dataset,{},"floating");t&&new f(t,document.body)}document.querySelectorAll("[data-hostline-restaurant]").forEach(t=>E(t))}window.Hostline={version:"1",mount:E};document.readyState==="loading"?document.addEventListener("DOMContentLoaded",S,{once:!0}):S();})();
