// 代表评议页面：选择等次、提交（经 outbox.js 的待发送队列）、显示“待发送 / 已提交 / 未能提交”，
// 并跟随服务器推送的评分窗口状态（无需刷新）。无框架，无内联脚本。
(function () {
  "use strict";
  var root = document.getElementById("tablet");
  if (!root || !window.SanminOutbox) { return; }
  var WINDOW_LABELS = { open: "评分中", closed: "评分已结束", pending: "尚未开始" };
  var editing = {};
  var forgotten = false;
  var outbox = window.SanminOutbox(
    root.getAttribute("data-tag"),
    document.querySelector('meta[name="csrf-token"]').getAttribute("content"),
    { changed: changed, settled: settled, refused: refused }
  );

  // 会话结束（登录失效、退出、交还平板）：本机不再留这位代表的选择和草稿；待发送的评分留在队列里，照发不误。
  function forgetPerson() {
    forgotten = true;
    root.setAttribute("data-forgotten", "1"); // shell.js 不再保存离线副本
    outbox.forget();
    editing = {};
    Array.prototype.forEach.call(document.querySelectorAll("form.ballot"), function (form) {
      form.reset();
      Array.prototype.forEach.call(form.querySelectorAll("button.level"), function (b) { b.setAttribute("aria-pressed", "false"); });
      Array.prototype.forEach.call(form.querySelectorAll("input[type=range]"), function (r) {
        r.removeAttribute("data-touched");
        r.parentNode.querySelector("output").textContent = "请拖动";
      });
      form.querySelector(".form-message").hidden = true;
    });
    renderAll();
  }
  function changed() {
    if (outbox.state.signedOut && !forgotten) { forgetPerson(); return; }
    showNet();
  }

  function sectionOf(dept) { return document.getElementById("dept-" + dept); }
  function allSections() { return Array.prototype.slice.call(document.querySelectorAll("section.dept")); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  function formatReceipt(code) {
    var half = code && (code.length === 8 || code.length === 10) ? code.length / 2 : 0;
    return half ? code.slice(0, half) + " " + code.slice(half) : code;
  }

  // ---- 选择 ------------------------------------------------------------------------------------
  function chosen(form) {
    var pressed = form.querySelector('.level[aria-pressed="true"]');
    if (pressed) { return { choice: pressed.getAttribute("data-choice"), label: pressed.textContent.trim() }; }
    var ranges = form.querySelectorAll("input[type=range]");
    if (!ranges.length) { return null; }
    var scores = {}, parts = [];
    for (var i = 0; i < ranges.length; i += 1) {
      if (ranges[i].getAttribute("data-touched") !== "1") { return null; }
      scores[ranges[i].getAttribute("data-criterion")] = parseInt(ranges[i].value, 10);
      parts.push(ranges[i].getAttribute("data-label") + " " + ranges[i].value + " 分");
    }
    return { choice: "scored", scores: scores, label: parts.join("，") };
  }

  // ---- 显示 ------------------------------------------------------------------------------------
  function render(dept) {
    var section = sectionOf(dept);
    if (!section) { return; }
    var state = section.getAttribute("data-window");
    var rec = outbox.records()[dept];
    var outcome = section.querySelector(".outcome");
    section.querySelector(".window-state").textContent = WINDOW_LABELS[state] || "";
    outcome.textContent = "";
    outcome.className = "outcome";
    if (rec) { describe(outcome, rec, state, dept); }
    outcome.hidden = !rec;
    var settledOrWaiting = rec && (rec.status === "sent" || rec.status === "pending");
    section.querySelector("form.ballot").hidden = state !== "open" || (settledOrWaiting && !editing[dept]);
  }

  function describe(outcome, rec, state, dept) {
    var voided = rec.verdict === "voided";
    if (rec.status === "pending") {
      outcome.classList.add("pending");
      outcome.appendChild(el("p", "big-status", "待发送"));
      outcome.appendChild(el("p", "", "您的评价「" + rec.label + "」已保存在本机，网络恢复后会自动发送，不会重复计算。"));
    } else if (rec.status === "sent") {
      outcome.classList.add(voided ? "refused" : "sent");
      outcome.appendChild(el("p", "big-status", voided ? "已作废" : "已提交 ✓"));
      outcome.appendChild(el("p", "", "您的评价：" + rec.label));
      var receipt = el("p", "receipt", "回执码 ");
      receipt.appendChild(el("strong", "", formatReceipt(rec.receipt)));
      outcome.appendChild(receipt);
      if (voided) { outcome.appendChild(el("p", "", "这张评分已被组织方作废，不计入结果。")); }
    } else {
      outcome.classList.add("refused");
      outcome.appendChild(el("p", "big-status", "未能提交"));
      outcome.appendChild(el("p", "", rec.message || "提交未被接受"));
    }
    if (state === "open" && (rec.status === "sent" || rec.status === "pending") && !voided) {
      var change = el("button", "change", "修改评分");
      change.type = "button";
      change.addEventListener("click", function () { editing[dept] = true; render(dept); });
      outcome.appendChild(change);
    }
  }

  // 提交后把该部门的状态框留在视野里（布局更新之后），并告知读屏软件。
  function reveal(dept) {
    var outcome = sectionOf(dept).querySelector(".outcome");
    window.requestAnimationFrame(function () { outcome.scrollIntoView({ block: "center" }); });
  }

  function announce(dept) {
    var rec = outbox.records()[dept];
    if (!rec) { return; }
    var name = "「" + sectionOf(dept).getAttribute("data-name") + "」";
    var said = rec.status === "pending" ? name + "待发送：已保存在本机，网络恢复后会自动发送。"
      : rec.status === "sent" ? name + "已提交，回执码 " + formatReceipt(rec.receipt) + "。"
      : name + "未能提交：" + (rec.message || "提交未被接受");
    document.getElementById("announce").textContent = said;
  }

  function renderAll() {
    var anyOpen = false;
    allSections().forEach(function (s) {
      render(s.getAttribute("data-department"));
      if (s.getAttribute("data-window") === "open") { anyOpen = true; }
    });
    document.getElementById("none-open").hidden = anyOpen;
    showNet();
  }

  function showNet() {
    var net = document.getElementById("net");
    var waiting = outbox.count();
    net.className = "net";
    net.textContent = "";
    if (outbox.state.signedOut) {
      net.classList.add("alert");
      net.textContent = "登录已失效，请重新登录。未发送的评分保存在本机，重新登录后会自动发送。";
      var again = el("a", "button", "重新登录");
      again.href = "/login";
      net.appendChild(again);
    } else if (waiting && (outbox.state.failing || !navigator.onLine)) {
      net.classList.add("alert");
      net.textContent = "网络已断开：有 " + waiting + " 项待发送，已保存在本机，网络恢复后会自动发送。";
    } else if (waiting) {
      net.textContent = "正在发送 " + waiting + " 项……";
    } else if (!navigator.onLine) {
      net.classList.add("alert");
      net.textContent = "网络已断开。您仍可评分，评分会保存在本机，网络恢复后自动发送。";
    }
    net.hidden = !net.textContent;
  }

  // ---- 提交与结果 --------------------------------------------------------------------------------
  function onSubmit(event) {
    event.preventDefault();
    var form = event.target;
    var dept = form.getAttribute("data-department");
    var message = form.querySelector(".form-message");
    var picked = chosen(form);
    if (!picked) {
      message.textContent = form.querySelector("input[type=range]") ? "请为每一项指标打分，或选择“不了解”" : "请先选择一项评价";
      message.hidden = false;
      return;
    }
    message.hidden = true;
    var ballot = { department: dept, client_id: outbox.newId(), choice: picked.choice,
      comment: form.querySelector("textarea[name=comment]").value.trim() };
    if (picked.scores) { ballot.scores = picked.scores; }
    var added = [{ kind: "ballot", dept: dept, body: ballot, label: picked.label }];
    var rec = { status: "pending", label: picked.label, client_id: ballot.client_id, choice: picked.choice };
    outbox.setRecord(dept, rec);
    editing[dept] = false;
    render(dept);
    announce(dept);
    reveal(dept);
    outbox.enqueue(added);
  }

  // 留名建议是单独的一次提交，不随评分发送（服务器暂存，部门评分结束时打乱顺序一并交给部门）。
  function onSuggest(event) {
    event.preventDefault();
    var form = event.target;
    var dept = form.getAttribute("data-department");
    var box = form.querySelector("textarea[name=suggestion]");
    var text = box.value.trim();
    if (!text) { noteSuggestion(dept, "请先填写留名建议"); return; }
    outbox.enqueue([{ kind: "suggestion", dept: dept, body: { department: dept, client_id: outbox.newId(), text: text } }]);
    box.value = "";
    noteSuggestion(dept, "留名建议待发送");
  }

  function noteSuggestion(dept, text) {
    var note = sectionOf(dept).querySelector(".suggestion-note");
    if (!note) { return; }
    note.textContent = text;
    note.hidden = !text;
  }

  function settled(item, data) {
    if (item.kind === "suggestion") { noteSuggestion(item.dept, "留名建议已收到，将在该部门评分结束后交给部门，部门会答复您。"); return; }
    var rec = outbox.records()[item.dept];
    if (!rec) { return; }
    if (item.kind === "ballot" && rec.client_id === item.body.client_id) {
      rec.status = "sent";
      rec.receipt = data.receipt;
      delete rec.verdict;
    }
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    announce(item.dept);
  }

  function refused(item, error) {
    if (item.kind === "suggestion") { noteSuggestion(item.dept, "留名建议未能提交：" + (error.message || "提交未被接受")); return; }
    var rec = outbox.records()[item.dept];
    if (!rec) { return; }
    var message = error.message || "提交未被接受";
    if (error.code === "window_closed") {
      message = "「" + sectionOf(item.dept).getAttribute("data-name") + "」的评分已结束，这次评分没有被接收。";
    }
    if (item.kind === "ballot" && rec.client_id === item.body.client_id) {
      rec.status = "refused";
      rec.message = message;
    }
    outbox.setRecord(item.dept, rec);
    render(item.dept);
    announce(item.dept);
  }

  // ---- 评分窗口与回执状态 ----------------------------------------------------------------------
  function applyWindows(windows) {
    allSections().forEach(function (s) {
      s.setAttribute("data-window", windows[s.getAttribute("data-department")] || "pending");
    });
    renderAll();
  }

  function refreshState() {
    var recs = outbox.records(), codes = [];
    Object.keys(recs).forEach(function (d) { if (recs[d].receipt) { codes.push(recs[d].receipt); } });
    window.fetch("/api/state?receipts=" + encodeURIComponent(codes.join(",")), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { outbox.state.signedOut = true; changed(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) { return; }
        var windows = {}, latest = outbox.records();
        state.departments.forEach(function (d) { windows[d.key] = d.window; });
        Object.keys(latest).forEach(function (d) {
          var known = latest[d].receipt && state.receipts[latest[d].receipt];
          if (known && known.status === "voided") { latest[d].verdict = "voided"; outbox.setRecord(d, latest[d]); }
        });
        applyWindows(windows);
      }, function () { /* 离线：稍后再试 */ });
  }

  function listen() {
    if (!window.EventSource) { window.setInterval(refreshState, 15000); return; }
    var source = new window.EventSource("/r/events");
    source.onmessage = function (event) {
      try { applyWindows(JSON.parse(event.data).windows || {}); } catch (e) { /* 忽略坏消息 */ }
    };
    source.onerror = function () {
      if (source.readyState === 2) { window.setTimeout(function () { refreshState(); listen(); }, 5000); }
    };
  }

  // ---- 事件 ------------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.level") : null;
    if (!button) { return; }
    Array.prototype.forEach.call(button.form.querySelectorAll("button.level"), function (b) {
      b.setAttribute("aria-pressed", b === button && b.getAttribute("aria-pressed") !== "true" ? "true" : "false");
    });
    button.form.querySelector(".form-message").hidden = true;
  });
  document.addEventListener("input", function (event) {
    var range = event.target;
    if (range.type !== "range") { return; }
    range.setAttribute("data-touched", "1");
    range.parentNode.querySelector("output").textContent = range.value + " 分";
    var unknown = range.form.querySelector('button.level[data-choice="unknown"]');
    if (unknown) { unknown.setAttribute("aria-pressed", "false"); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("form.ballot"), function (form) {
    form.addEventListener("submit", onSubmit);
    var rec = outbox.records()[form.getAttribute("data-department")];
    var earlier = rec && rec.choice !== "scored" && form.querySelector('button.level[data-choice="' + rec.choice + '"]');
    if (earlier) { earlier.setAttribute("aria-pressed", "true"); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("form.signed-suggestion"), function (form) {
    form.addEventListener("submit", onSuggest);
  });
  document.getElementById("logout").addEventListener("submit", function (event) {
    if (outbox.count()) {
      event.preventDefault();
      var net = document.getElementById("net");
      net.className = "net alert";
      net.textContent = "还有 " + outbox.count() + " 项评分待发送。请等网络恢复、发送完成后再退出。";
      net.hidden = false;
      return;
    }
    forgetPerson(); // 共用平板：不留下本人的评价
  });
  window.addEventListener("online", refreshState);
  window.addEventListener("offline", showNet);

  window.SanminTablet = { outbox: outbox, forgetPerson: forgetPerson }; // 交还平板（handback.js）

  renderAll();
  refreshState();
  listen();
  outbox.retryNow();
})();
