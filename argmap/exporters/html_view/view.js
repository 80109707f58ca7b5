// argmap's HTML view (argmap/exporters/html.py): pan and zoom, the details panel, search.
// Plain JavaScript, no library. Author text comes from the JSON data island and reaches the page through
// textContent and setAttribute only: nothing here parses HTML.
(() => {
  "use strict";

  const data = JSON.parse(document.getElementById("argmap-data").textContent);
  const elements = data.elements;
  const evaluation = data.evaluation || null;
  const viewport = document.getElementById("viewport");
  const svg = viewport.querySelector("svg");
  const panel = document.getElementById("panel");
  const search = document.getElementById("search");
  const searchCount = document.getElementById("search-count");

  const GLYPHS = { in: "\u2713", out: "\u2717", undecided: "?" };
  const STEP = 60; // pixels an arrow key pans
  const MAX_ZOOM = 8;

  // -- small helpers -------------------------------------------------------------------------------------------

  /** An element with attributes and children (strings become text nodes). */
  function make(tag, attributes, ...children) {
    const made = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) made.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      made.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return made;
  }

  const kindName = (element) => (element.kind === "argument" ? "argument" : "statement");
  /** How Argdown writes a reference: [Title] for a statement, <Title> for an argument. */
  const bracketed = (element) => (element.kind === "argument" ? `<${element.title}>` : `[${element.title}]`);
  const mainText = (element) => {
    const texts = element.texts || [];
    return texts.length ? texts[texts.length - 1].text : "";
  };
  const labelOf = (id) => (evaluation && evaluation.labels[id]) || null;
  /** A link's URL when it may be followed: http, https, mailto or relative (the exporter checked it too). */
  const safeUrl = (url) => {
    if (typeof url !== "string") return null;
    const bare = url.replace(/[\u0000-\u0020\u007f]/g, "");
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(bare);
    return !scheme || ["http", "https", "mailto"].includes(scheme[1].toLowerCase()) ? url.trim() : null;
  };
  const oneLine = (text) => text.replace(/\s+/g, " ").trim();
  /** Text as search compares it: no accents, lower case, one space for any run of white space. */
  const fold = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ");
  const shorten = (text, length) => (text.length > length ? `${text.slice(0, length - 1)}\u2026` : text);

  // -- the diagram's boxes ------------------------------------------------------------------------------------

  /** element id -> its box; element id -> the arrows at it */
  const boxes = new Map();
  const arrows = new Map();

  for (const box of svg.querySelectorAll("g.node")) {
    const title = box.querySelector(":scope > title");
    const id = title ? data.nodes[title.textContent] : undefined;
    if (!id || !elements[id]) continue;
    const element = elements[id];
    // its name for a screen reader: "statement, out: Title. The start of its text" (no made-up title)
    const label = labelOf(id);
    const text = mainText(element);
    const said = [element.generated ? "" : oneLine(element.title), shorten(oneLine(text), 160)].filter(Boolean);
    box.dataset.id = id;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "button");
    box.setAttribute("aria-label", `${kindName(element)}${label ? `, ${label[0]}` : ""}: ${said.join(". ")}`);
    title.textContent = bracketed(element);
    boxes.set(id, box);
  }
  // a closed section is one box standing for what it holds: it opens as the section ("section:ID" for an id)
  const closed = data.closed || {};
  const SECTION = "section:";
  const isSection = (id) => typeof id === "string" && id.startsWith(SECTION);
  /** section id -> the element ids its closed box stands for; element id -> that section's id */
  const membersOf = new Map();
  const closedIn = new Map();
  for (const box of svg.querySelectorAll("g.node")) {
    const title = box.querySelector(":scope > title");
    const entry = title ? closed[title.textContent] : undefined;
    if (!entry || !data.sections[entry.section]) continue;
    const id = SECTION + entry.section;
    const members = entry.members.filter((member) => elements[member]);
    membersOf.set(entry.section, members);
    for (const member of members) closedIn.set(member, entry.section);
    box.dataset.id = id;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "button");
    const count = `${members.length} element${members.length === 1 ? "" : "s"}`;
    box.setAttribute("aria-label", `closed section: ${oneLine(data.sections[entry.section].title)}, ${count}`);
    title.textContent = data.sections[entry.section].title;
    boxes.set(id, box);
  }
  const sectionTitle = (id) => data.sections[id.slice(SECTION.length)].title;
  /** The box drawn for an element: its own, or for one inside a closed section, the section's. */
  const drawnBox = (id) => boxes.get(id) || (closedIn.has(id) ? boxes.get(SECTION + closedIn.get(id)) : undefined);
  /** How an arrow's end is named in its tooltip: an element as Argdown writes a reference, a section by its title. */
  const named = (id) => (isSection(id) ? sectionTitle(id) : bracketed(elements[id]));
  const endOf = (node) => data.nodes[node] || (closed[node] && boxes.has(SECTION + closed[node].section) ? SECTION + closed[node].section : undefined);

  for (const arrow of svg.querySelectorAll("g.edge")) {
    const title = arrow.querySelector(":scope > title");
    if (!title) continue;
    const ends = title.textContent.split("->").map(endOf);
    if (ends.length !== 2 || !ends[0] || !ends[1]) continue;
    title.textContent = `${named(ends[0])} \u2192 ${named(ends[1])}`;
    for (const end of ends) {
      if (!arrows.has(end)) arrows.set(end, []);
      arrows.get(end).push(arrow);
    }
  }
  for (const cluster of svg.querySelectorAll("g.cluster")) {
    const title = cluster.querySelector(":scope > title");
    const heading = cluster.querySelector("text");
    if (title) title.textContent = heading ? heading.textContent : "";
  }
  const graphTitle = svg.querySelector("g.graph > title");
  if (graphTitle) graphTitle.textContent = data.title;
  svg.setAttribute("aria-label", data.title);
  svg.setAttribute("tabindex", "-1"); // the viewport is the stop before the boxes, not the drawing itself

  // -- pan and zoom -----------------------------------------------------------------------------------------------

  const box0 = svg.viewBox.baseVal;
  const bounds = { x: box0.x, y: box0.y, width: box0.width || 1, height: box0.height || 1 };
  /** x, y: the diagram's point at the top left of the viewport; k: screen pixels per diagram unit */
  const view = { x: bounds.x, y: bounds.y, k: 1 };
  let size = viewportSize();

  function viewportSize() {
    const rect = viewport.getBoundingClientRect();
    return { width: Math.max(rect.width, 1), height: Math.max(rect.height, 1) };
  }
  function fitZoom() {
    return Math.min(size.width / bounds.width, size.height / bounds.height) * 0.96;
  }
  function clampZoom(k) {
    return Math.min(Math.max(k, Math.min(fitZoom() / 2, 0.5)), MAX_ZOOM);
  }
  // the drawing keeps its own size and viewBox; the view is a CSS transform of it (through the CSSOM, which the
  // page's Content-Security-Policy allows: no style attribute is written)
  svg.setAttribute("width", String(bounds.width));
  svg.setAttribute("height", String(bounds.height));
  function apply() {
    const [dx, dy] = [(bounds.x - view.x) * view.k, (bounds.y - view.y) * view.k];
    svg.style.transform = `translate(${dx}px, ${dy}px) scale(${view.k})`;
    // what is in view, in the diagram's units: for tests and anyone scripting the page
    viewport.dataset.view = [view.x, view.y, size.width / view.k, size.height / view.k].join(" ");
    viewport.dataset.zoom = String(view.k);
  }
  function centreOn(x, y, k) {
    view.k = clampZoom(k);
    view.x = x - size.width / 2 / view.k;
    view.y = y - size.height / 2 / view.k;
    apply();
  }
  function fit() {
    centreOn(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2, Math.min(fitZoom(), 2));
  }
  function actualSize() {
    centreOn(view.x + size.width / 2 / view.k, view.y + size.height / 2 / view.k, 1);
  }
  /** Zoom by factor, keeping the diagram's point under (px, py) (viewport pixels) where it is. */
  function zoomAt(factor, px, py) {
    const k = clampZoom(view.k * factor);
    view.x += px / view.k - px / k;
    view.y += py / view.k - py / k;
    view.k = k;
    apply();
  }
  const zoomBy = (factor) => zoomAt(factor, size.width / 2, size.height / 2);
  function panBy(dx, dy) {
    view.x -= dx / view.k;
    view.y -= dy / view.k;
    apply();
  }
  /** Bring a box into view: when it is (partly) outside, or always with `centre` (then at least at actual size). */
  function reveal(box, centre) {
    let rect = box.getBoundingClientRect();
    if (centre && view.k < 1) {
      zoomBy(1 / view.k); // readable: the diagram's own size
      rect = box.getBoundingClientRect();
    }
    const outer = viewport.getBoundingClientRect();
    const inside =
      rect.left >= outer.left && rect.right <= outer.right && rect.top >= outer.top && rect.bottom <= outer.bottom;
    if (!centre && inside) return;
    panBy(outer.left + outer.width / 2 - (rect.left + rect.width / 2), outer.top + outer.height / 2 - (rect.top + rect.height / 2));
  }

  new ResizeObserver(() => {
    const old = size;
    size = viewportSize();
    view.x += (old.width - size.width) / 2 / view.k;
    view.y += (old.height - size.height) / 2 / view.k;
    apply();
  }).observe(viewport);

  viewport.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? size.height : 1;
      if (!event.ctrlKey && Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        panBy(-event.deltaX * unit, 0);
        return;
      }
      const rect = viewport.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * unit * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    },
    { passive: false },
  );

  // dragging pans (one pointer), pinching zooms (two); a drag is not a click
  const pointers = new Map();
  let dragged = false;
  let pinch = 0;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY });
    dragged = false;
    pinch = 0;
  });
  viewport.addEventListener("pointermove", (event) => {
    const pointer = pointers.get(event.pointerId);
    if (!pointer) return;
    if (!dragged && pointers.size === 1 && Math.hypot(event.clientX - pointer.startX, event.clientY - pointer.startY) < 4) {
      return; // not a drag yet: a click may wobble
    }
    const previous = { x: pointer.x, y: pointer.y };
    pointer.x = event.clientX;
    pointer.y = event.clientY;
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const rect = viewport.getBoundingClientRect();
      if (pinch) zoomAt(distance / pinch, (a.x + b.x) / 2 - rect.left, (a.y + b.y) / 2 - rect.top);
      pinch = distance;
      dragged = true;
      return;
    }
    if (!dragged) {
      dragged = true;
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add("dragging");
    }
    panBy(pointer.x - previous.x, pointer.y - previous.y);
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    pinch = 0;
    if (!pointers.size) viewport.classList.remove("dragging");
  };
  viewport.addEventListener("pointerup", release);
  viewport.addEventListener("pointercancel", release);

  document.getElementById("zoom-in").addEventListener("click", () => zoomBy(1.25));
  document.getElementById("zoom-out").addEventListener("click", () => zoomBy(0.8));
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.getElementById("zoom-one").addEventListener("click", actualSize);

  // -- the panel ----------------------------------------------------------------------------------------------

  /** per element id: [group heading, other end's id] of the relations at it */
  const related = new Map();
  const GROUPS = [
    ["support", "in", "Supported by"],
    ["attack", "in", "Attacked by"],
    ["undercut", "in", "Undercut by"],
    ["contradiction", "both", "Contradicts"],
    ["entailment", "in", "Entailed by"],
    ["contrariness", "both", "Contrary to"],
    ["support", "out", "Supports"],
    ["attack", "out", "Attacks"],
    ["undercut", "out", "Undercuts"],
    ["entailment", "out", "Entails"],
  ];
  const base = (end) => end.replace(/>$/, "");
  function relate(id, heading, other) {
    if (!related.has(id)) related.set(id, new Map());
    const groups = related.get(id);
    if (!groups.has(heading)) groups.set(heading, []);
    if (!groups.get(heading).includes(other)) groups.get(heading).push(other);
  }
  for (const [source, target, kind] of data.relations) {
    for (const [relKind, direction, heading] of GROUPS) {
      if (relKind !== kind) continue;
      if (direction === "in" || direction === "both") relate(base(target), heading, source);
      if (direction === "out" || direction === "both") relate(base(source), heading, target);
    }
  }
  /** per statement id: the arguments using it as a premise, and concluding it */
  const premiseOf = new Map();
  const conclusionOf = new Map();
  for (const [id, element] of Object.entries(elements)) {
    for (const step of element.steps || []) {
      const index = step.conclusion ? conclusionOf : premiseOf;
      if (!index.has(step.ref)) index.set(step.ref, []);
      if (!index.get(step.ref).includes(id)) index.get(step.ref).push(id);
    }
  }

  /** A button that goes to an element (``end`` may be an argument's inference: "A1>"), or to a closed section. */
  function reference(end) {
    if (isSection(end)) {
      return make("button", { type: "button", class: "ref", "data-ref": end }, sectionTitle(end));
    }
    const id = base(end);
    const element = elements[id];
    const label = labelOf(end);
    const words = [label ? `${GLYPHS[label[0]]} ` : "", bracketed(element), end !== id ? " (its inference)" : ""];
    return make(
      "button",
      {
        type: "button",
        class: element.unknown ? "ref missing" : "ref",
        "data-ref": id,
        title: element.unknown ? "not defined in the map" : shorten(oneLine(mainText(element)), 200) || null,
      },
      words.join(""),
    );
  }

  function labelBadge(label) {
    return make("span", { class: `label ${label[0]}` }, `${GLYPHS[label[0]]} ${label[0]}`);
  }

  /** A text with its bold, italic, links and mentions, as elements. */
  function richText(text) {
    const fragment = document.createDocumentFragment();
    const value = text.text;
    const ranges = text.ranges || [];
    // links and mentions are the outer pieces (the first of overlapping ones wins); bold and italic go inside
    const outer = ranges
      .filter((r) => r[0] === "link" || r[0] === "s" || r[0] === "a")
      .sort((p, q) => p[1] - q[1] || q[2] - p[2]);
    const styles = ranges.filter((r) => r[0] === "b" || r[0] === "i");
    const styled = (start, end, into) => {
      const cuts = new Set([start, end]);
      for (const r of styles) for (const at of [r[1], r[2]]) if (at > start && at < end) cuts.add(at);
      const points = [...cuts].sort((p, q) => p - q);
      for (let i = 0; i + 1 < points.length; i++) {
        const [from, to] = [points[i], points[i + 1]];
        let node = document.createTextNode(value.slice(from, to));
        if (styles.some((r) => r[0] === "i" && r[1] <= from && r[2] >= to)) node = make("em", {}, node);
        if (styles.some((r) => r[0] === "b" && r[1] <= from && r[2] >= to)) node = make("strong", {}, node);
        into.append(node);
      }
    };
    let at = 0;
    for (const [kind, start, end, target, unsafe] of outer) {
      if (start < at || end <= start) continue;
      styled(at, start, fragment);
      let piece;
      if (kind === "link") {
        const url = safeUrl(target);
        piece = url
          ? make("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", title: url })
          : make("span", { class: "link", title: typeof unsafe === "string" ? unsafe : target });
      } else if (target && elements[target]) {
        piece = make("button", { type: "button", class: "ref", "data-ref": target });
      } else {
        piece = make("span");
      }
      styled(start, end, piece);
      fragment.append(piece);
      at = end;
    }
    styled(at, value.length, fragment);
    return fragment;
  }

  function sectionPath(sectionId) {
    const names = [];
    const seen = new Set();
    for (let id = sectionId; id && data.sections[id] && !seen.has(id); id = data.sections[id].parent) {
      seen.add(id);
      // a heading that repeats the map's title is no box in the diagram (argmap.exporters.dot): not named here either
      if (fold(data.sections[id].title).trim() !== fold(data.title).trim()) names.unshift(data.sections[id].title);
    }
    return names.join(" \u203a ");
  }

  function dataList(entries) {
    const list = make("dl");
    for (const [key, value] of entries) {
      const shown = typeof value === "string" ? value : JSON.stringify(value, null, 1);
      list.append(make("dt", {}, key), make("dd", {}, shown));
    }
    return list;
  }

  function listOf(heading, ids) {
    if (!ids || !ids.length) return [];
    return [make("h3", {}, heading), make("ul", {}, ...ids.map((id) => make("li", {}, reference(id))))];
  }

  function about() {
    const parts = [make("p", { class: "kind" }, "Argument map"), make("h2", {}, data.title)];
    const metadata = Object.entries(data.metadata || {}).filter(
      ([key, value]) => key !== "title" && value !== null && typeof value !== "object",
    );
    if (metadata.length) parts.push(dataList(metadata));
    const all = Object.values(elements).filter((e) => !e.unknown);
    const statements = all.filter((e) => e.kind === "statement").length;
    parts.push(make("p", {}, `${statements} statements, ${all.length - statements} arguments.`));
    if (evaluation) {
      const counts = evaluation.counts;
      parts.push(
        make("h3", {}, `Evaluation (${evaluation.semantics} semantics)`),
        make(
          "p",
          {},
          labelBadge(["in"]), ` ${counts.in} stand  `,
          labelBadge(["out"]), ` ${counts.out} fall  `,
          labelBadge(["undecided"]), ` ${counts.undecided} undecided`,
        ),
      );
    }
    const key = (name) => make("kbd", {}, name);
    parts.push(
      make("h3", {}, "How to read it"),
      make(
        "p",
        { class: "help" },
        "Click a box, or Tab to it and press Enter, to read it here. Drag or use the arrow keys to move, the wheel or ",
        key("+"), " ", key("\u2212"), " to zoom, ", key("0"), " to fit the map, ", key("/"), " to search (",
        key("Enter"), " goes to the next match, ", key("#tag"), " finds a tag), ", key("Esc"), " to come back here.",
      ),
    );
    return parts;
  }

  function details(id) {
    const element = elements[id];
    const parts = [
      make("button", { type: "button", class: "close", "aria-label": "Close details", title: "Close (Esc)" }, "\u00d7"),
      make("p", { class: "kind" }, element.unknown ? `${kindName(element)} not defined in the map` : kindName(element)),
      make("h2", { class: element.generated ? "generated" : null, id: "details-title" }, element.title),
    ];
    const where = element.section ? sectionPath(element.section) : "";
    if (where) parts.push(make("p", { class: "where" }, `in ${where}`));
    if (closedIn.has(id)) {
      const section = closedIn.get(id);
      parts.push(
        make("p", { class: "where" }, "drawn inside the closed section ", reference(SECTION + section)),
      );
    } else if (!boxes.has(id)) parts.push(make("p", { class: "where" }, "not drawn in the diagram"));
    const label = labelOf(id);
    if (label) parts.push(make("p", {}, labelBadge(label), " ", make("span", { class: "reason" }, label[1])));
    for (const text of element.texts || []) parts.push(make("p", { class: "text" }, richText(text)));
    if (element.quotes) {
      parts.push(make("h3", {}, element.quotes.length > 1 ? "Quotes" : "Quote"));
      for (const quote of element.quotes) parts.push(make("blockquote", {}, quote));
    }
    if (element.tags) {
      parts.push(
        make("h3", {}, "Tags"),
        make("p", {}, ...element.tags.map((tag) => make("button", { type: "button", class: "tag", "data-tag": tag }, `#${tag}`))),
      );
    }
    if (element.steps) {
      const steps = make("ol", { class: "pcs" });
      for (const step of element.steps) {
        if (step.conclusion) {
          let line = step.rules ? `\u2014\u2014 ${step.rules.join(", ")} \u2014\u2014` : "\u2014\u2014\u2014\u2014";
          if (step.uses) line += ` (uses ${step.uses.join(", ")})`;
          const inference = make("li", { class: "inference" }, line);
          const inferenceLabel = step === element.steps[element.steps.length - 1] ? labelOf(`${id}>`) : null;
          if (inferenceLabel) inference.append(" ", labelBadge(inferenceLabel), " ", make("span", { class: "reason" }, inferenceLabel[1]));
          steps.append(inference);
        }
        const statement = elements[step.ref];
        const text = statement ? mainText(statement) : "";
        steps.append(make("li", {}, `(${step.n}) `, reference(step.ref), text ? `: ${oneLine(text)}` : ""));
      }
      parts.push(make("h3", {}, "Premises and conclusion"), steps);
    }
    parts.push(...listOf("Premise of", premiseOf.get(id)), ...listOf("Conclusion of", conclusionOf.get(id)));
    for (const [, , heading] of GROUPS) {
      const groups = related.get(id);
      if (groups && groups.has(heading)) parts.push(...listOf(heading, groups.get(heading)));
    }
    if (element.data) parts.push(make("h3", {}, "Data"), dataList(Object.entries(element.data)));
    return parts;
  }

  function sectionDetails(id) {
    const sectionId = id.slice(SECTION.length);
    const section = data.sections[sectionId];
    const members = membersOf.get(sectionId) || [];
    const parts = [
      make("button", { type: "button", class: "close", "aria-label": "Close details", title: "Close (Esc)" }, "\u00d7"),
      make("p", { class: "kind" }, "closed section"),
      make("h2", { id: "details-title" }, section.title),
    ];
    const where = section.parent ? sectionPath(section.parent) : "";
    if (where) parts.push(make("p", { class: "where" }, `in ${where}`));
    const statements = members.filter((member) => elements[member].kind === "statement");
    const others = members.filter((member) => elements[member].kind !== "statement");
    parts.push(
      make("p", {}, `Drawn as one box (isClosed): ${members.length} element${members.length === 1 ? "" : "s"} inside.`),
      ...listOf("Statements", statements),
      ...listOf("Arguments", others),
    );
    return parts;
  }

  // -- selecting --------------------------------------------------------------------------------------------------

  let selected = null;

  function select(id, how) {
    const options = how || {};
    if (selected && drawnBox(selected)) drawnBox(selected).classList.remove("selected");
    for (const arrow of svg.querySelectorAll(".edge.related")) arrow.classList.remove("related");
    selected = id && (elements[id] || (isSection(id) && boxes.has(id))) ? id : null;
    svg.classList.toggle("has-selection", Boolean(selected && drawnBox(selected)));
    panel.replaceChildren(...(selected ? (isSection(selected) ? sectionDetails(selected) : details(selected)) : about()));
    panel.scrollTop = 0;
    if (!selected) return;
    for (const arrow of arrows.get(selected) || []) arrow.classList.add("related");
    const box = drawnBox(selected); // an element inside a closed section: the section's box stands for it
    if (box) {
      box.classList.add("selected");
      if (options.reveal) reveal(box, true);
      if (options.focus) box.focus({ preventScroll: true });
    }
  }

  svg.addEventListener("click", (event) => {
    if (dragged) return;
    const box = event.target.closest("g.node[data-id]");
    select(box ? box.dataset.id : null);
  });
  svg.addEventListener("keydown", (event) => {
    const box = event.target.closest("g.node[data-id]");
    if (box && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(box.dataset.id);
    }
  });
  svg.addEventListener("focusin", (event) => {
    // a box reached with the keyboard is brought into view; one clicked (or dragged from) stays where it is
    const box = event.target.closest("g.node[data-id]");
    if (box && box.matches(":focus-visible")) reveal(box, false);
  });
  panel.addEventListener("click", (event) => {
    const target = event.target.closest("[data-ref], [data-tag], .close");
    if (!target) return;
    if (target.classList.contains("close")) select(null);
    else if (target.dataset.ref) select(target.dataset.ref, { reveal: true, focus: boxes.has(target.dataset.ref) });
    else setSearch(`#${target.dataset.tag}`);
  });

  // -- search ---------------------------------------------------------------------------------------------------

  const searchable = Object.entries(elements).map(([id, element]) => ({
    id,
    text: fold([element.title, ...(element.texts || []).map((t) => t.text)].join("\n")),
    tags: (element.tags || []).map(fold),
  }));
  let matches = [];
  let current = -1;

  function runSearch() {
    for (const box of svg.querySelectorAll(".node.match")) box.classList.remove("match");
    const words = fold(search.value).trim().split(" ").filter(Boolean);
    current = -1;
    if (!words.length) {
      matches = [];
      svg.classList.remove("searching");
      searchCount.textContent = "";
      return;
    }
    const hits = (entry, word) =>
      word.startsWith("#") && word.length > 1 ? entry.tags.some((tag) => tag.startsWith(word.slice(1))) : entry.text.includes(word);
    matches = searchable.filter((entry) => words.every((word) => hits(entry, word))).map((entry) => entry.id);
    for (const id of matches) if (drawnBox(id)) drawnBox(id).classList.add("match"); // inside a closed section: its box
    svg.classList.add("searching");
    searchCount.textContent = matches.length === 1 ? "1 match" : matches.length ? `${matches.length} matches` : "no match";
  }
  function setSearch(value) {
    search.value = value;
    runSearch();
    search.focus();
  }
  function nextMatch(direction) {
    if (!matches.length) return;
    current = (current + direction + matches.length) % matches.length;
    select(matches[current], { reveal: true });
    searchCount.textContent = `${current + 1} of ${matches.length}`;
  }
  search.addEventListener("input", runSearch);

  // -- the keyboard ----------------------------------------------------------------------------------------------

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target === search) {
      if (event.key === "Enter") nextMatch(event.shiftKey ? -1 : 1);
      else if (event.key === "Escape") {
        setSearch("");
        viewport.focus();
      } else return;
      event.preventDefault();
      return;
    }
    if (target instanceof HTMLInputElement) return;
    const inPanel = panel.contains(target);
    switch (event.key) {
      case "+":
      case "=":
        zoomBy(1.25);
        break;
      case "-":
      case "_":
        zoomBy(0.8);
        break;
      case "0":
        fit();
        break;
      case "1":
        actualSize();
        break;
      case "/":
        search.focus();
        search.select();
        break;
      case "Escape":
        if (selected && boxes.has(selected)) boxes.get(selected).focus({ preventScroll: true });
        select(null);
        break;
      case "ArrowLeft":
      case "ArrowRight":
      case "ArrowUp":
      case "ArrowDown": {
        if (inPanel) return;
        const step = event.shiftKey ? STEP * 4 : STEP;
        const [dx, dy] = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
        panBy(dx, dy);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  });

  fit();
  select(null);
  document.documentElement.dataset.ready = "true";
})();
