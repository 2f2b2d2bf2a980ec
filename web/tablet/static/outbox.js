// 待发送队列：评分先存入本机（localStorage），再发送；网络断了就等，恢复后自动重发（退避重试）。
// 每张评分有自己的 client_id，重发用同一个，服务器只计一次。每位代表一个队列（tag），共用平板也不会串号。
(function () {
  "use strict";

  window.SanminOutbox = function (tag, csrf, hooks) {
    var OUTBOX = "sanmin:v1:" + tag + ":outbox";
    var RECORD = "sanmin:v1:" + tag + ":record";
    var memory = {};
    var state = { sending: false, failing: false, signedOut: false };
    var retryDelay = 2000;
    var retryTimer = null;
    var BALLOTS = hooks.ballots || "/api/ballots"; // 网络评议页面用它自己的地址（web/public/online.py）

    function load(key, fallback) {
      try {
        var text = window.localStorage.getItem(key);
        if (text) { return JSON.parse(text); }
      } catch (e) { /* 存储不可用：用内存 */ }
      return memory[key] || fallback;
    }
    function store(key, value) {
      memory[key] = value;
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* 内存中仍有 */ }
    }
    function items() { return load(OUTBOX, []); }
    function records() { return load(RECORD, {}); }
    function setRecord(dept, value) { var all = records(); all[dept] = value; store(RECORD, all); }

    function newId() {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      var out = "";
      for (var i = 0; i < bytes.length; i += 1) { out += ("0" + bytes[i].toString(16)).slice(-2); }
      return out;
    }

    // A newer ballot for a department replaces one still waiting (not one already on its way).
    function enqueue(added) {
      var depts = added.filter(function (it) { return it.kind === "ballot"; }).map(function (it) { return it.dept; });
      var kept = items().filter(function (it) {
        return !(it.kind === "ballot" && depts.indexOf(it.dept) >= 0 && !it.sending);
      });
      store(OUTBOX, kept.concat(added));
      retryNow();
    }

    function remove(item) {
      store(OUTBOX, items().filter(function (it) { return it.body.client_id !== item.body.client_id; }));
    }
    function mark(item, sending) {
      store(OUTBOX, items().map(function (it) {
        if (it.body.client_id === item.body.client_id) {
          if (sending) { it.sending = true; } else { delete it.sending; }
        }
        return it;
      }));
    }

    function post(item) {
      return window.fetch(item.kind === "ballot" ? BALLOTS : "/api/suggestions", {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(item.body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, data: data || {} };
        });
      });
    }

    function pump() {
      if (state.sending || state.signedOut) { hooks.changed(); return; }
      var waiting = items();
      if (!waiting.length) { state.failing = false; hooks.changed(); return; }
      var item = waiting[0];
      state.sending = true;
      mark(item, true);
      hooks.changed();
      post(item).then(function (answer) {
        state.sending = false;
        var error = answer.data.error;
        if (answer.status === 200 && (answer.data.receipt || answer.data.suggestion)) {
          remove(item);
          hooks.settled(item, answer.data);
        } else if (answer.status === 401 || (error && error.code === "csrf_failed")) {
          mark(item, false);
          state.signedOut = true;
          hooks.changed();
          return;
        } else if (!error || answer.status >= 500 || answer.status === 429 || answer.status === 408) {
          mark(item, false); // 网关、强制门户或服务器繁忙：稍后用同一个 client_id 重发
          later();
          return;
        } else {
          remove(item);
          hooks.refused(item, error);
        }
        state.failing = false;
        retryDelay = 2000;
        pump();
      }, function () {
        state.sending = false;
        mark(item, false);
        later();
      });
    }

    function later() {
      state.failing = true;
      hooks.changed();
      window.clearTimeout(retryTimer);
      var wait = retryDelay * (0.75 + Math.random() / 2);
      retryDelay = Math.min(retryDelay * 2, 30000);
      retryTimer = window.setTimeout(pump, wait);
    }

    function retryNow() {
      window.clearTimeout(retryTimer);
      retryDelay = 2000;
      pump();
    }

    store(OUTBOX, items().map(function (it) { delete it.sending; return it; }));
    window.addEventListener("online", retryNow);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) { retryNow(); } });

    return {
      newId: newId,
      records: records,
      setRecord: setRecord,
      forget: function () { // 退出：不留下本人的评价，也不留下离线外壳用的页面副本
        store(RECORD, {});
        try {
          window.localStorage.removeItem("sanmin:v1:" + tag + ":shell");
          window.localStorage.removeItem("sanmin:v1:current");
        } catch (e) { /* 存储不可用：无副本 */ }
      },
      count: function () { return items().length; },
      enqueue: enqueue,
      retryNow: retryNow,
      state: state
    };
  };
})();
