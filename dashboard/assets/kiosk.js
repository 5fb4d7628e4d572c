/* Kiosk rotation, clock, freshness, challenge countdowns and celebration overlay: all in the browser, no
   server round trips; and the server's answers (see dashboard/callbacks/kiosk.py for their keys), applied
   with set_props: pushed over one stream (EventSource, dashboard/services/kiosk/stream.py) and, while the
   stream is down, fetched by the poll, a small GET every refresh interval. */
(function () {
  "use strict";

  var state = {start: null, lastOk: null, storeDown: false, celebrationId: null, celebrationAt: 0, last: null,
               behind: [], asof: null, polling: false, showing: null, seen: null,
               stream: {source: null, heardAt: 0, retryAt: 0, failures: 0, ended: false}};
  var POLL_TIMEOUT_MS = 10000;
  var STREAM_RETRY_MAX_MS = 60000;

  function ago(seconds) {
    if (seconds < 60) { return seconds + " s"; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min"; }
    return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
  }

  function clock(now, zone) {
    try {
      return new Intl.DateTimeFormat("en-GB", {hour: "2-digit", minute: "2-digit", timeZone: zone}).format(now);
    } catch (err) {
      return new Date(now).toTimeString().slice(0, 5);
    }
  }

  function position(durations, elapsed) {
    var total = durations.reduce(function (a, b) { return a + b; }, 0);
    var t = total > 0 ? elapsed % total : 0;
    for (var i = 0; i < durations.length; i++) {
      if (t < durations[i]) { return {index: i, fraction: t / durations[i]}; }
      t -= durations[i];
    }
    return {index: 0, fraction: 0};
  }

  /* A TV redraws only what changed since the last tick. */
  function changedOnly(outputs) {
    var keys = outputs.map(function (value) { return JSON.stringify(value); });
    var result = outputs.map(function (value, i) {
      return state.last && state.last[i] === keys[i] ? window.dash_clientside.no_update : value;
    });
    state.last = keys;
    return result;
  }

  /* Time left, as dashboard/layouts/kiosk/challenges.py time_left_words writes it. */
  function leftWords(seconds) {
    if (seconds < 1) { return "Ending now"; }
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var days = Math.floor(seconds / 86400), hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60), secs = seconds % 60;
    if (days) { return days + " d " + two(hours) + ":" + two(minutes) + ":" + two(secs) + " left"; }
    if (hours) { return hours + ":" + two(minutes) + ":" + two(secs) + " left"; }
    return minutes + ":" + two(secs) + " left";
  }

  /* Each running challenge's time left counts down from the seconds the server drew it with (data-left),
     counted from when this TV first saw that value: no poll needed. */
  var drawnAt = new WeakMap();
  function countDown(now) {
    document.querySelectorAll(".wb-ch-left[data-left]").forEach(function (el) {
      var left = parseInt(el.getAttribute("data-left"), 10);
      var seen = drawnAt.get(el);
      if (!seen || seen.left !== left) { seen = {left: left, at: now}; drawnAt.set(el, seen); }
      var words = leftWords(Math.max(0, left - Math.floor((now - seen.at) / 1000)));
      if (!el.firstChild) { el.appendChild(document.createTextNode(words)); }
      else if (el.firstChild.nodeValue !== words) { el.firstChild.nodeValue = words; }
    });
  }

  /* A challenges view shows its challenges one at a time, sharing the view's time among them. */
  function turnSlots(index, fraction) {
    var view = document.querySelectorAll(".wb-views > .wb-view")[index];
    var slots = view ? view.querySelectorAll(".wb-ch-slot") : [];
    var shown = Math.min(slots.length - 1, Math.floor(fraction * slots.length));
    for (var i = 0; i < slots.length; i++) {
      if (slots[i].classList.contains("is-shown") !== (i === shown)) { slots[i].classList.toggle("is-shown"); }
    }
  }

  /* The poll's query: n views, w the view on screen (the server sends changes of the views on screen or
     next, and of the others when they come up), the display key, and what the TV has seen: v version,
     s signature, c/t celebration, d fingerprints. */
  function pollUrl(meta, seen) {
    return meta.poll + "?" + query(meta, seen).join("&");
  }

  /* The stream's URL: the poll's query (the server sends a stream every changed view, whatever is on
     screen, so it ignores w: every TV of a screen in the same state gets the same answer). */
  function streamUrl(meta, seen) {
    return meta.stream + "?" + query(meta, seen).join("&");
  }

  function query(meta, seen) {
    var query = ["n=" + (meta.durations || []).length];
    var add = function (name, value) {
      if (value !== null && value !== undefined && value !== "") {
        query.push(name + "=" + encodeURIComponent(value));
      }
    };
    seen = seen || {};
    add("w", state.showing);
    add("key", meta.key);
    add("v", seen.v);
    add("s", seen.sig);
    add("c", seen.c);
    add("t", seen.ct);
    add("d", (seen.d || []).join("."));
    return query;
  }

  /* The seen-state after an answer's s: the keys it names replaced, its d fingerprints put at their index
     (dashboard/services/kiosk/seen.py changes_from). */
  function seenAfter(seen, changes) {
    var next = Object.assign({}, seen || {}, changes);
    var digests = ((seen || {}).d || []).slice();
    Object.keys(changes.d || {}).forEach(function (index) {
      var at = parseInt(index, 10);
      while (digests.length < at) { digests.push(""); }
      digests[at] = changes.d[index];
    });
    next.d = digests;
    return next;
  }

  /* An answer of the poll or the stream; the seen-state it changes is kept here too, so that the next
     poll or stream starts from it. */
  function apply(answer) {
    var set = window.dash_clientside.set_props;
    Object.keys(answer.b || {}).forEach(function (index) {
      set({type: "kiosk-view-body", index: parseInt(index, 10)}, {children: answer.b[index]});
    });
    if (answer.s) {
      state.seen = seenAfter(state.seen, answer.s);
      set("kiosk-seen", {data: state.seen});
    }
    if (answer.o) { set("kiosk-overlay-body", {children: answer.o}); }
    if (answer.c) { set("kiosk-celebration", {data: answer.c}); }
    if (answer.r) { set("kiosk-reload", {data: answer.r}); }
    set("kiosk-pulse", {data: answer.p});
  }

  /* The stream is live when it was heard from within a refresh interval and a second. */
  function streaming(meta) {
    return state.stream.source !== null && Date.now() - state.stream.heardAt <= (meta.refresh || 3) * 1000 + 1000;
  }

  /* Open the stream (when the page offers one and the browser has EventSource) unless it is open or
     waiting to retry. It is closed on any error and opened again with what the TV has seen by then: soon
     after a stream that ended after working (its lifetime, a server restart), with a growing wait after
     one that failed (a 503 when the worker's streams are full, a proxy); the poll runs meanwhile. */
  function openStream(meta, now) {
    var stream = state.stream;
    if (!meta.stream || typeof EventSource === "undefined" || stream.source || stream.ended ||
        now < stream.retryAt) { return; }
    var source = new EventSource(streamUrl(meta, state.seen));
    var heard = false;
    stream.source = source;
    source.onmessage = function (event) {
      var answer = null;
      try { answer = JSON.parse(event.data); } catch (err) { return; }
      heard = true;
      stream.heardAt = Date.now();
      stream.failures = 0;
      if (answer && answer.p) { apply(answer); }
      if (answer && answer.r) { source.close(); stream.source = null; stream.ended = true; }
    };
    source.onerror = function () {
      source.close();
      if (stream.source === source) { stream.source = null; }
      stream.failures = heard ? 0 : stream.failures + 1;
      var wait = heard ? 1000 : Math.min(STREAM_RETRY_MAX_MS, 1000 * Math.pow(2, stream.failures));
      stream.retryAt = Date.now() + wait * (0.5 + Math.random() / 2);
    };
  }

  /* A page that goes away closes its stream at once: the connection would otherwise stay open until the
     server next writes to it, and browsers allow six connections per server over HTTP/1.1. */
  window.addEventListener("pagehide", function () {
    if (state.stream.source) { state.stream.source.close(); state.stream.source = null; }
  });

  function triggered(name) {
    var ctx = window.dash_clientside.callback_context;
    return (ctx.triggered || []).some(function (t) { return t.prop_id.indexOf(name + ".") === 0; });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    kiosk: {
      poll: function (n, meta, seen) {
        if (state.seen === null) { state.seen = seen; }
        if (state.polling || !meta || !meta.poll || streaming(meta) || state.stream.ended) {
          return window.dash_clientside.no_update;
        }
        state.polling = true;
        var controller = new AbortController();
        var timer = setTimeout(function () { controller.abort(); }, POLL_TIMEOUT_MS);
        fetch(pollUrl(meta, state.seen), {referrerPolicy: "no-referrer", signal: controller.signal})
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (answer) { if (answer && answer.p) { apply(answer); } })
          .catch(function () { return null; })
          .then(function () { clearTimeout(timer); state.polling = false; });
        return window.dash_clientside.no_update;
      },
      tick: function (n, pulse, celebration, meta, seen) {
        var now = Date.now();
        meta = meta || {durations: [1]};
        if (state.start === null) {
          state.start = now;
          state.lastOk = now;
          state.storeDown = meta.storeUp === false;
        }
        if (state.seen === null && seen) { state.seen = seen; }
        if (state.seen !== null) { openStream(meta, now); }
        if (pulse && triggered("kiosk-pulse")) {
          if (pulse.ok) { state.lastOk = now; state.storeDown = false; } else { state.storeDown = true; }
          state.behind = pulse.behind || [];
          state.asof = pulse.asof || null;
        }
        if (celebration && celebration.id !== state.celebrationId) {
          state.celebrationId = celebration.id;
          state.celebrationAt = now;
        }
        var durations = meta.durations || [1];
        var at = meta.pinned === null || meta.pinned === undefined
          ? position(durations, (now - state.start) / 1000)
          : {index: meta.pinned, fraction: 0};
        var slotFraction = at.fraction;
        if (meta.pinned !== null && meta.pinned !== undefined) {
          var own = (durations[meta.pinned] || 1) * 1000;
          slotFraction = ((now - state.start) % own) / own;
        }
        state.showing = at.index;
        turnSlots(at.index, slotFraction);
        countDown(now);
        var classes = durations.map(function (_, i) { return i === at.index ? "wb-view is-active" : "wb-view"; });
        var progress = {transform: "scaleX(" + (durations.length > 1 ? at.fraction : 0).toFixed(4) + ")"};
        var age = Math.max(0, Math.floor((now - state.lastOk) / 1000));
        var text, status;
        if (state.storeDown) {
          text = "Data source unreachable · showing the last data";
          status = "wb-status is-stale";
        } else if (age >= meta.stale) {
          text = "Server unreachable · last update " + ago(age) + " ago";
          status = "wb-status is-stale";
        } else if (state.behind && state.behind.length) {
          text = state.behind.join(", ") + " behind" +
            (state.asof ? " · data from " + ago(Math.max(0, Math.floor(now / 1000 - state.asof))) + " ago" : "");
          status = "wb-status is-stale";
        } else {
          text = "Updated " + ago(age) + " ago";
          status = "wb-status is-live";
        }
        var showing = state.celebrationAt > 0 && now - state.celebrationAt < (meta.celebrate || 8) * 1000;
        return changedOnly([classes, progress, clock(now, meta.zone), text, status,
                            showing ? "wb-overlay is-visible" : "wb-overlay"]);
      },
      reload: function (signature) {
        if (signature) { window.location.reload(); }
        return window.dash_clientside.no_update;
      },
      retry: function () {
        fetch(window.location.href, {method: "HEAD", cache: "no-store"}).then(function (response) {
          if (response.ok) { window.location.reload(); }
        }).catch(function () { return null; });
        return window.dash_clientside.no_update;
      }
    }
  });
}());
