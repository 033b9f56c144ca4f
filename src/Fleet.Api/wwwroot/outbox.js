// The phone's outbox of spot checks made without signal (IndexedDB), shared by the pages (fleet.js) and the service
// worker (sw.js). Each entry keeps the form's fields, its own Idempotency-Key, the time it was made and its photos, and
// is sent in the order it was made; the server keeps one record per key, so a resend after a lost answer stores nothing twice.
(function (scope) {
    "use strict";
    var DB = "fleet-outbox", STORE = "checks";
    function open() {
        return new Promise(function (resolve, reject) {
            var request = indexedDB.open(DB, 1);
            request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true }); };
            request.onsuccess = function () { resolve(request.result); };
            request.onerror = function () { reject(request.error); };
        });
    }
    function run(mode, work) {
        return open().then(function (db) {
            return new Promise(function (resolve, reject) {
                var tx = db.transaction(STORE, mode), store = tx.objectStore(STORE), result;
                work(store, function (value) { result = value; });
                tx.oncomplete = function () { db.close(); resolve(result); };
                tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
            });
        });
    }
    function newKey() {
        var bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    }
    scope.FleetOutbox = {
        newKey: newKey,
        /** The outbox as one person sees it: their own entries; what they add is theirs. */
        mine: function (user) {
            var all = scope.FleetOutbox;
            return {
                all: function () { return all.all().then(function (entries) { return entries.filter(function (e) { return e.user === user; }); }); },
                add: function (fields, key) { return all.add(fields, key, user); },
                update: all.update,
                remove: all.remove,
                removeIfDone: all.removeIfDone,
                addPhoto: all.addPhoto,
                /** Takes the entry the service worker kept under this key for this person's form (it has no owner yet). */
                claim: function (key) {
                    return all.all().then(function (entries) {
                        return Promise.all(entries.filter(function (e) { return e.user === null && e.key === key; }).map(function (e) {
                            return all.update(e.seq, function (kept) { kept.user = user; });
                        }));
                    });
                },
            };
        },
        /** Every entry, in the order made. */
        all: function () {
            return run("readonly", function (store, done) {
                var request = store.getAll();
                request.onsuccess = function () { done(request.result); };
            });
        },
        /**
         * Keeps a check made without signal: fields (name → value, as the form posts them), with its key, for the person
         * who made it (a phone may be shared: only they send it; null when the service worker kept it, claimed by the page).
         */
        add: function (fields, key, user) {
            var entry = { key: key || newKey(), user: user || null, fields: fields, madeAt: new Date().toISOString(), state: "pending", photos: [] };
            return run("readwrite", function (store, done) {
                var request = store.add(entry);
                request.onsuccess = function () { entry.seq = request.result; done(entry); };
            });
        },
        /** Changes the entry as it is now (read and written in one transaction); null when it is gone (given up). */
        update: function (seq, change) {
            return run("readwrite", function (store, done) {
                var request = store.get(seq);
                request.onsuccess = function () {
                    var entry = request.result;
                    if (!entry) { done(null); return; }
                    change(entry);
                    store.put(entry);
                    done(entry);
                };
            });
        },
        remove: function (seq) { return run("readwrite", function (store) { store.delete(seq); }); },
        /** Removes the entry once its check and every photo it has now are sent (or given up); true when removed. */
        removeIfDone: function (seq) {
            return run("readwrite", function (store, done) {
                var request = store.get(seq);
                request.onsuccess = function () {
                    var entry = request.result;
                    if (!entry) { done(true); return; }
                    if (!entry.checkId || entry.photos.some(function (p) { return !p.sent; })) { done(false); return; }
                    store.delete(seq);
                    done(true);
                };
            });
        },
        /** Adds a photo (a Blob) to the entry, with its own key. */
        addPhoto: function (seq, file) {
            return run("readwrite", function (store, done) {
                var request = store.get(seq);
                request.onsuccess = function () {
                    var entry = request.result;
                    if (!entry) return;
                    entry.photos.push({ key: newKey(), blob: file, name: file.name || "photo.jpg", type: file.type || "image/jpeg", sent: false });
                    store.put(entry);
                    done(entry);
                };
            });
        },
    };
})(self);
