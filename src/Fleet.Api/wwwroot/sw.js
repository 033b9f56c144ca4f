// Fleet's service worker, registered for inspectors (fleet.js): the spot-check form, its plate list and the pages'
// assets answer without signal, and a spot check sent when the network is gone is kept in the phone's outbox
// (outbox.js) instead of being lost. Nothing else is cached or touched: every other page is read from the server.
importScripts("/outbox.js");
var CACHE = "fleet-offline-v1";
var FORM = "/spot-checks/new", PLATES = "/spot-checks/new?handler=Plates";
var ASSETS = ["/fleet.css", "/fleet.js", "/outbox.js", "/favicon.svg"];

self.addEventListener("install", function (event) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
        // The form and the plates only as the inspector's own (not a sign-in page the request was sent to).
        var own = [FORM, PLATES].map(function (url) {
            return fetch(url, { credentials: "same-origin" }).then(function (response) {
                if (response.ok && !response.redirected) return cache.put(url, response);
            });
        });
        return Promise.all([cache.addAll(ASSETS)].concat(own));
    }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); }));
});

/** The network within a time limit: an underground car park's "connected" phone often gets no answer at all. */
function network(request, seconds) {
    if (!seconds) return fetch(request);
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, seconds * 1000);
    return fetch(request, { signal: controller.signal }).finally(function () { clearTimeout(timer); });
}

/** Network first; a good answer refreshes the copy under <key>; without network, the copy. */
function networkFirst(request, key, seconds, offlineCopy) {
    return network(request, seconds).then(function (response) {
        if (response.ok && response.type === "basic" && !response.redirected) {
            var copy = response.clone();
            caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
        }
        return response;
    }).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (cached) {
            if (!cached) return offlinePage();
            return offlineCopy ? marked(cached) : cached;
        });
    });
}

/** The cached form, marked as a copy read without signal (fleet.js then keeps what is saved on the phone). */
function marked(cached) {
    return cached.text().then(function (html) {
        var headers = new Headers(cached.headers);
        headers.delete("Content-Length");
        return new Response(html.replace("<body", "<body data-offline-copy"), { headers: headers });
    });
}

function offlinePage(said) {
    var html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<title>没有网络 · 公务用车监管</title><link rel=\"stylesheet\" href=\"/fleet.css\"></head><body><main id=\"main\">" +
        "<h1>当前没有网络</h1><p class=\"notice caution\" role=\"status\">" + (typeof said === "string" ? said : "这个页面需要网络。现场抽查不需要网络：抽查先保存在手机上，有网络时自动上传。") + "</p>" +
        "<p class=\"actions\"><a class=\"button big\" href=\"/spot-checks/new\">现场抽查</a></p></main></body></html>";
    return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/** A spot check posted by the form when the network is gone: kept in the outbox with the form's own key. */
function keep(request) {
    return request.formData().then(function (form) {
        // A correction reads the check it corrects: it is not kept. It may have reached the server all the same.
        if (form.get("Input.CorrectsId"))
            return offlinePage("没有收到服务器的答复：这条更正没有保存在手机上，也可能已经保存到服务器。请到有信号的地方打开抽查记录查看，没有再提交一次（重复提交只保存一次）。");
        var fields = {};
        form.forEach(function (value, name) { if (name !== "__fleet_form" && name !== "__IdempotencyKey" && typeof value === "string") fields[name] = value; });
        var key = form.get("__IdempotencyKey") || self.FleetOutbox.newKey();
        // Kept under the form's own key: if the first attempt did reach the server, the resend is answered from it.
        return self.FleetOutbox.add(fields, key).then(function () {
            return Response.redirect(FORM + "?queued=" + encodeURIComponent(key), 303);
        });
    });
}

self.addEventListener("fetch", function (event) {
    var request = event.request, url = new URL(request.url);
    if (url.origin !== self.location.origin) return;
    if (request.method === "POST") {
        if (url.pathname === FORM && request.mode === "navigate") {
            var copy = request.clone();
            event.respondWith(network(request, 20).catch(function () { return keep(copy); }));
        }
        return;
    }
    if (request.method !== "GET") return;
    if (url.pathname === FORM && url.search === "?handler=Plates") { event.respondWith(networkFirst(request, PLATES, 20, false)); return; }
    // After a save (?saved=) the server did answer: wait for it rather than show the copy (and hide what it said).
    if (url.pathname === FORM && request.mode === "navigate" && !url.searchParams.has("corrects")) {
        event.respondWith(networkFirst(request, FORM, url.searchParams.has("saved") ? 0 : 10, true));
        return;
    }
    if (ASSETS.indexOf(url.pathname) >= 0) event.respondWith(networkFirst(request, url.pathname, 10, false));
});
