/* Layout probe of the kiosk's active view and top bar (or the roots given as the second
   argument, e.g. the celebration overlay), run by test_kiosk_layout_guard.py through driver.execute_script.
   Returns a list of problems (empty when the screen is sound):
   - text smaller than `minShare` of the viewport height;
   - text clipped by its own box (scrollWidth/Height beyond clientWidth/Height), or outside the card it
     belongs to (a tile, a podium step, a ranking row, a goal, the view);
   - two texts overlapping. */
var minShare = arguments[0];
var rootSelectors = arguments[1] || [".wb-view.is-active", ".wb-bar"];
var CARDS = ".wb-tile, .wb-step, .wb-rank-row, .wb-goal, .wb-goal-group, .wb-nps-side, .wb-badge, " +
  ".wb-ch-row, .wb-ch-target, .wb-view, .wb-bar, .wb-cele";
var vh = window.innerHeight;
var slack = Math.max(2, vh * 0.002);
var problems = [];
var texts = [];
var roots = rootSelectors.map(function (selector) { return document.querySelector(selector); });

function label(el) {
  return (el.className || el.tagName) + " '" + el.textContent.trim().slice(0, 40) + "'";
}

function inside(inner, outer, slack) {
  return inner.left >= outer.left - slack && inner.right <= outer.right + slack &&
    inner.top >= outer.top - slack && inner.bottom <= outer.bottom + slack;
}

roots.forEach(function (root) {
  if (!root) { return; }
  var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode;
    if (!node.textContent.trim()) { continue; }
    var el = node.parentElement;
    var style = window.getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") { continue; }
    var range = document.createRange();
    range.selectNodeContents(node);
    var rect = range.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) { continue; }
    texts.push({el: el, rect: rect});
    if (parseFloat(style.fontSize) < minShare * vh - 0.5) {
      problems.push("small text " + style.fontSize + ": " + label(el));
    }
    for (var box = el; box && box !== root.parentElement; box = box.parentElement) {
      var boxStyle = window.getComputedStyle(box);
      if (boxStyle.display !== "inline" && boxStyle.overflow !== "visible" &&
          (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1)) {
        problems.push("clipped text: " + label(box));
        break;
      }
    }
    var card = el.closest(CARDS);
    if (card && !inside(rect, card.getBoundingClientRect(), slack)) {
      problems.push("text outside its " + card.className.split(" ")[0] + ": " + label(el));
    }
    if (!inside(rect, {left: 0, top: 0, right: window.innerWidth, bottom: vh}, 1)) {
      problems.push("text off screen: " + label(el));
    }
  }
});

for (var i = 0; i < texts.length; i++) {
  for (var j = i + 1; j < texts.length; j++) {
    var a = texts[i], b = texts[j];
    if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) { continue; }
    var w = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
    var h = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
    if (w > slack && h > slack) { problems.push("overlap: " + label(a.el) + " / " + label(b.el)); }
  }
}
return Array.from(new Set(problems)).slice(0, 30);
