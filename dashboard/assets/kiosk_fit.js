/* Kiosk text that always fits, and a warning when a name's script has no font (see docs/kiosk.md).

   Kept apart from kiosk.js (rotation, clock, celebrations): these functions only read and size text.
   - fitText: every `.wb-fit` element is shrunk until its text fits its box (never below 3 % of the
     viewport height), after each render and on resize; then a podium step or tile whose texts together
     are taller than it shrinks them in proportion.
   - checkGlyphs: a character of a name that draws exactly like a character no font has (a tofu box)
     means a font is missing; a small amber banner says so.
*/
(function () {
  "use strict";

  var MIN_SHARE = 0.03;
  var NO_GLYPH = String.fromCodePoint(0x10fffd);
  var glyphCache = {};
  var scheduled = false;

  function overflows(el) {
    return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  }

  function fitOne(el, floor) {
    el.style.fontSize = "";
    if (!el.clientWidth || !overflows(el)) { return; }
    var size = parseFloat(window.getComputedStyle(el).fontSize);
    for (var i = 0; i < 10 && size > floor && overflows(el); i++) {
      var ratio = Math.min(el.clientWidth / el.scrollWidth, el.clientHeight / el.scrollHeight, 0.97);
      size = Math.max(floor, size * ratio);
      el.style.fontSize = size.toFixed(1) + "px";
    }
  }

  function contentHeight(box) {
    var style = window.getComputedStyle(box);
    var total = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    Array.from(box.children).forEach(function (child) {
      var cs = window.getComputedStyle(child);
      if (cs.display === "none" || cs.position === "absolute") { return; }
      var minimum = parseFloat(cs.minHeight) || 0;
      var height = cs.flexGrow !== "0" ? Math.max(minimum, 0) : child.getBoundingClientRect().height;
      total += height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom);
    });
    return total;
  }

  /* A card (a podium step, a tile) whose texts together are taller than it: shrink its `.wb-fit` texts. */
  function fitBox(box, floor) {
    shrinkIn(box, floor, ".wb-fit:not([class*='-value'])");
    shrinkIn(box, floor, ".wb-fit");
  }

  /* Names give way first: the score is the message and stays big as long as possible. */
  function shrinkIn(box, floor, selector) {
    for (var i = 0; i < 6; i++) {
      var need = contentHeight(box);
      if (need <= box.clientHeight + 1) { return; }
      var ratio = Math.max(0.5, box.clientHeight / need);
      var items = box.querySelectorAll(selector);
      var shrunk = false;
      for (var j = 0; j < items.length; j++) {
        var size = parseFloat(window.getComputedStyle(items[j]).fontSize);
        if (size > floor) {
          items[j].style.fontSize = Math.max(floor, size * ratio).toFixed(1) + "px";
          shrunk = true;
        }
      }
      if (!shrunk) { return; }
    }
  }

  function fitText() {
    var floor = window.innerHeight * MIN_SHARE;
    var items = document.querySelectorAll(".wb-kiosk .wb-fit, .wb-overlay .wb-fit");
    for (var i = 0; i < items.length; i++) { fitOne(items[i], floor); }
    var boxes = document.querySelectorAll(".wb-kiosk .wb-step, .wb-kiosk .wb-tile");
    for (var k = 0; k < boxes.length; k++) { fitBox(boxes[k], floor); }
  }

  function pixels(ch, font) {
    var canvas = document.createElement("canvas");
    canvas.width = 48;
    canvas.height = 48;
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.font = "36px " + font;
    ctx.textBaseline = "top";
    ctx.fillText(ch, 4, 4);
    var data = ctx.getImageData(0, 0, 48, 48).data;
    var sum = 0;
    for (var i = 3; i < data.length; i += 4) { sum = (sum * 31 + data[i]) % 1000000007; }
    return sum + ":" + Math.round(ctx.measureText(ch).width * 10);
  }

  function missing(ch, font) {
    if (!(ch in glyphCache)) { glyphCache[ch] = pixels(ch, font) === pixels(NO_GLYPH, font); }
    return glyphCache[ch];
  }

  function checkGlyphs() {
    var root = document.querySelector(".wb-kiosk");
    if (!root) { return; }
    var font = window.getComputedStyle(root).fontFamily;
    var names = root.querySelectorAll("bdi, .wb-badge-holder");
    var lost = [];
    for (var i = 0; i < names.length; i++) {
      Array.from(names[i].textContent || "").forEach(function (ch) {
        if (ch.charCodeAt(0) > 0x2ff && /[\p{L}\p{Co}]/u.test(ch) && lost.indexOf(ch) < 0 && missing(ch, font)) {
          lost.push(ch);
        }
      });
    }
    var banner = document.querySelector(".wb-font-warning");
    if (!lost.length) {
      if (banner) { banner.remove(); }
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "wb-font-warning";
      banner.setAttribute("role", "status");
      root.appendChild(banner);
    }
    banner.textContent = "Fonts missing for some names (" + lost.slice(0, 4).join(" ") + ") · see docs/kiosk.md";
  }

  function refresh() {
    scheduled = false;
    fitText();
    checkGlyphs();
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(refresh);
    }
  }

  function start() {
    new MutationObserver(function (records) {
      var ours = records.every(function (r) {
        return r.target.classList && r.target.classList.contains("wb-font-warning");
      });
      if (!ours) { schedule(); }
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
    window.addEventListener("resize", schedule);
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(schedule); }
    schedule();
  }

  window.wbKioskFit = {fitText: fitText, checkGlyphs: checkGlyphs, missing: missing};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
