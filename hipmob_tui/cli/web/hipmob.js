// hipmob's page around textual.js: the address of the app's WebSocket (under the token,
// from wherever the page was loaded), and what the server says to hipmob itself: the app
// is open in another tab, it moved there, it closed; and a lost connection, retried.
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

  // A lost connection (a tablet that slept, a network that dropped): the app waits,
  // paused, for a few minutes. The page asks the server every few seconds while it is on
  // screen, and reloads once it answers; the reload reconnects this tab to the same app.
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
      notice("hipmob is now open in another tab or on another device.", "Use it here", useItHere);
    },
    ended() {
      state = "ended";
      notice("hipmob has closed.", "Start it again", startAgain);
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

  document.addEventListener("DOMContentLoaded", () => {
    const terminal = document.getElementById("terminal");
    const address = new URL("ws", location.href);
    address.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    address.search = "";
    address.hash = "";
    terminal.dataset.sessionWebsocketUrl = address.href;
    const size = Number(params.get("fontsize"));
    if (size >= 8 && size <= 64) terminal.dataset.fontSize = String(size);
  });
})();
