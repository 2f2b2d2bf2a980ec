// 代表评议的离线外壳（由 /sw.js 提供，版本号与文件清单由服务器填入）。
// 只缓存通用外壳（/r/offline 及其样式、脚本、图标），从不缓存 /r 页面本身（含代表姓名）或任何接口应答。
// 先走网络；网络不通时，/r 用外壳代替，外壳文件用缓存。新版本安装后立即接管，并删除旧版本的缓存。
"use strict";
var VERSION = "__VERSION__";
var SHELL = __SHELL__;
var PREFIX = "sanmin-shell-";
var CACHE = PREFIX + VERSION;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(SHELL.map(function (url) {
        return new Request(url, { cache: "reload", credentials: "omit" });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function cached(path) {
  return caches.open(CACHE).then(function (cache) { return cache.match(path); }).then(function (answer) {
    return answer || Response.error();
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname === "/r") {
    event.respondWith(fetch(request).catch(function () { return cached(SHELL[0]); }));
  } else if (SHELL.indexOf(url.pathname) >= 0) {
    event.respondWith(fetch(request).catch(function () { return cached(url.pathname); }));
  }
});
