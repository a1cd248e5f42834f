// hipmob's page around textual.js (xterm.js): the app's WebSocket under the token, from
// wherever the page was loaded; what the server says to hipmob itself (the app is open in
// another tab, it moved, it closed; beep; keep the screen on; let the on-screen keyboard
// up); a lost connection, retried; the terminal's font, from this server, before the
// terminal measures its cells.
"use strict";

(() => {
  const NativeWebSocket = window.WebSocket;

  // The tab's own id, kept across reloads of this tab (not shared with other tabs): the
  // server lets a reload of the same tab take the app back from its own dead connection.
  function tabId() {
    let id = sessionStorage.getItem("hipmob-tab");
    if (!id) {
      const bytes = crypto.getRandomValues(new Uint8Array(12));
      id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      sessionStorage.setItem("hipmob-tab", id);
    }
    return id;
  }

  const params = new URLSearchParams(location.search);
  const takeover = params.get("takeover") === "1";
  if (takeover) {
    // Once: a later reload of this tab is a reconnection, not another take-over.
    params.delete("takeover");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : ""));
  }

  let state = "connecting";

  function notice(text, button, action) {
    document.getElementById("notice-text").textContent = text;
    const knob = document.getElementById("notice-button");
    knob.textContent = button || "";
    knob.hidden = !button;
    knob.onclick = action || null;
    document.getElementById("notice").hidden = false;
  }

  function useItHere() {
    location.href = location.pathname + "?takeover=1";
  }

  function startAgain() {
    location.reload();
  }

  // -- a lost connection -------------------------------------------------------------------
  // A tablet that slept, a network that dropped: the app waits, paused, for a few minutes.
  // The page asks the server every few seconds while it is on screen, and reloads once it
  // answers; the reload reconnects this tab to the same app.
  let probing = null;

  async function probe() {
    if (document.visibilityState !== "visible") return;
    try {
      const answer = await fetch(location.pathname, { cache: "no-store" });
      if (answer.ok) location.reload();
    } catch (error) {
      // not back yet
    }
  }

  function lost() {
    state = "lost";
    release();
    notice(
      "The connection was lost. hipmob keeps your session here, paused, for a few minutes, " +
        "and reconnects by itself when it can.",
      "Reconnect now",
      startAgain,
    );
    if (probing === null) {
      probing = setInterval(probe, 3000);
      document.addEventListener("visibilitychange", probe);
    }
  }

  // -- sound -------------------------------------------------------------------------------
  // The terminal's bell, as beeps: a longer, higher one for a new step, a short lower one
  // for each of the last 3 seconds. Browsers play sound only after a tap or a key, so the
  // first visit asks once; the answer is kept (localStorage), and later visits start the
  // sound at the first tap or key.
  const SOUND_KEY = "hipmob-sound";
  const BEEPS = {
    "beep-step": { frequency: 880, seconds: 0.35 },
    "beep-countdown": { frequency: 620, seconds: 0.09 },
  };
  let audio = null;

  function soundWanted() {
    return localStorage.getItem(SOUND_KEY);
  }

  function startAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return false;
    if (audio === null) audio = new Context();
    if (audio.state === "suspended") audio.resume();
    return true;
  }

  function beep(name) {
    const sound = BEEPS[name];
    if (!sound || soundWanted() === "off") return;
    if (audio === null || audio.state !== "running") {
      offerSound(); // the tap that starts it; this beep is missed
      return;
    }
    const now = audio.currentTime;
    const tone = audio.createOscillator();
    const level = audio.createGain();
    tone.type = "sine";
    tone.frequency.value = sound.frequency;
    level.gain.setValueAtTime(0.0001, now);
    level.gain.exponentialRampToValueAtTime(0.4, now + 0.01);
    level.gain.exponentialRampToValueAtTime(0.0001, now + sound.seconds);
    tone.connect(level).connect(audio.destination);
    tone.start(now);
    tone.stop(now + sound.seconds + 0.02);
  }

  function offerSound() {
    if (soundWanted() !== "off") document.getElementById("sound").hidden = false;
  }

  function soundOn() {
    localStorage.setItem(SOUND_KEY, "on");
    document.getElementById("sound").hidden = true;
    if (startAudio()) {
      // Heard at once: the person knows it works, at the volume it will have.
      setTimeout(() => beep("beep-step"), 50);
    }
    focusTerminal();
  }

  function soundOff() {
    localStorage.setItem(SOUND_KEY, "off");
    document.getElementById("sound").hidden = true;
    focusTerminal();
  }

  function focusTerminal() {
    const input = document.querySelector(".xterm-helper-textarea");
    if (input) input.focus();
  }

  // Sound turned on before: the first tap or key of this visit starts it.
  function startAudioOnGesture() {
    if (soundWanted() !== "on") return;
    const start = () => {
      startAudio();
      window.removeEventListener("pointerdown", start, true);
      window.removeEventListener("keydown", start, true);
    };
    window.addEventListener("pointerdown", start, true);
    window.addEventListener("keydown", start, true);
  }

  // -- the screen kept on during a session -------------------------------------------------
  // Wake Lock, where the browser has it (a secure page: https, or this computer's own
  // address). The browser lets go of it whenever the page is hidden: taken again on return.
  let awake = false;
  let lock = null;

  async function acquire() {
    if (!awake || lock !== null || !("wakeLock" in navigator)) return;
    if (document.visibilityState !== "visible") return;
    try {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => {
        lock = null;
      });
    } catch (error) {
      lock = null; // refused (battery saver): the screen sleeps as usual
    }
  }

  function release() {
    awake = false;
    if (lock !== null) lock.release();
    lock = null;
  }

  document.addEventListener("visibilitychange", acquire);

  // -- the on-screen keyboard -------------------------------------------------------------
  // The terminal reads keys through a hidden text field, so any tap on the page would bring
  // up a tablet's on-screen keyboard over the session. It may come up only while the app
  // has a text field in focus (the filter, a score, a note), which the app says by a cue.
  let typing = false;

  function keyboardFollows() {
    const input = document.querySelector(".xterm-helper-textarea");
    if (!input) return;
    const mode = typing ? "text" : "none";
    if (input.inputMode === mode) return;
    input.inputMode = mode;
    if (document.activeElement === input) {
      // Read as the field gains the focus: given again, the keyboard shows or goes at once.
      // (The server passes no focus or blur of the page on to the app.)
      input.blur();
      input.focus();
    }
  }

  // The hidden field is made as the terminal opens: no keyboard from the first tap on.
  const fieldMade = new MutationObserver(() => {
    if (!document.querySelector(".xterm-helper-textarea")) return;
    fieldMade.disconnect();
    keyboardFollows();
  });
  fieldMade.observe(document.documentElement, { childList: true, subtree: true });

  const cues = {
    "beep-step": beep,
    "beep-countdown": beep,
    "awake-on"() {
      awake = true;
      acquire();
    },
    "awake-off": release,
    "keyboard-on"() {
      typing = true;
      keyboardFollows();
    },
    "keyboard-off"() {
      typing = false;
      keyboardFollows();
    },
  };

  // -- what the server says to hipmob ------------------------------------------------------
  const events = {
    elsewhere() {
      state = "elsewhere";
      notice(
        "hipmob is open in another tab or on another device. It runs in one place at a " +
          "time, so your history stays in one piece.",
        "Use it here instead",
        useItHere,
      );
    },
    moved() {
      state = "moved";
      release();
      notice("hipmob is now open in another tab or on another device.", "Use it here", useItHere);
    },
    ended() {
      state = "ended";
      release();
      notice("hipmob has closed.", "Start it again", startAgain);
    },
    cue(message) {
      const cue = cues[message.name];
      if (cue) cue(message.name);
    },
  };

  function onMessage(message) {
    if (typeof message.data !== "string") return;
    let envelope;
    try {
      envelope = JSON.parse(message.data);
    } catch (error) {
      return;
    }
    if (envelope[0] !== "hipmob") return;
    const handler = events[envelope[1].event];
    if (handler) handler(envelope[1]);
  }

  class HipmobSocket extends NativeWebSocket {
    constructor(url, protocols) {
      super(url + "&tab=" + tabId() + (takeover ? "&takeover=1" : ""), protocols);
      this.addEventListener("message", onMessage);
      this.addEventListener("open", () => {
        if (state === "connecting") state = "connected";
      });
      this.addEventListener("close", () => {
        if (state === "connected") lost();
      });
    }
  }
  window.WebSocket = HipmobSocket;

  // -- start -------------------------------------------------------------------------------
  function fontReady() {
    // xterm.js measures its cells once, as it opens: with the font not yet loaded it would
    // measure a fallback's. Waits a few seconds at most, then goes on with what there is.
    const loads = ["16px 'Roboto Mono'", "bold 16px 'Roboto Mono'"].map((font) =>
      document.fonts.load(font),
    );
    const enough = new Promise((resolve) => setTimeout(resolve, 3000));
    return Promise.race([Promise.all(loads), enough]).catch(() => undefined);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const terminal = document.getElementById("terminal");
    const address = new URL("ws", location.href);
    address.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    address.search = "";
    address.hash = "";
    terminal.dataset.sessionWebsocketUrl = address.href;
    const size = Number(params.get("fontsize"));
    if (size >= 8 && size <= 64) terminal.dataset.fontSize = String(size);

    document.getElementById("sound-on").onclick = soundOn;
    document.getElementById("sound-off").onclick = soundOff;
    if (soundWanted() === null) offerSound();
    startAudioOnGesture();

    const openTerminal = window.onload; // textual.js's: opens the terminal and connects
    window.onload = async (event) => {
      await fontReady();
      if (openTerminal) openTerminal.call(window, event);
    };
  });
})();
