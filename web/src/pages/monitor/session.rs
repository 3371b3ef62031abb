//! The subscription this page manages: its id and management key (from the subscription just
//! made, from this tab's storage, or typed), what the service shows of it, and the actions on
//! it — open, check now, unsubscribe — each saying how it went.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::client::{self, call, Failure, PATH};
use super::model::{Created, Shown};
use crate::judged::text;

/// Signals, so the struct is `Copy` and the page's parts share it.
#[derive(Clone, Copy)]
pub(super) struct Session {
    /// The id box (and the id of the subscription open).
    pub(super) id: RwSignal<String>,
    /// The key box (and the key of the subscription open).
    pub(super) key: RwSignal<String>,
    /// The subscription made in this page: its key and webhook secret are shown once, from here.
    pub(super) created: RwSignal<Option<Created>>,
    /// The subscription as the service showed it last.
    pub(super) shown: RwSignal<Option<Shown>>,
    /// A request is under way (what it is, for the status line).
    pub(super) busy: RwSignal<Option<&'static str>>,
    /// Why the last request failed.
    pub(super) error: RwSignal<Option<String>>,
    /// What "check now" found.
    pub(super) checked: RwSignal<Option<(String, String)>>,
}

impl Session {
    /// The id and key this tab kept, opened at once.
    pub(super) fn new() -> Self {
        let s = Session {
            id: RwSignal::new(String::new()),
            key: RwSignal::new(String::new()),
            created: RwSignal::new(None),
            shown: RwSignal::new(None),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            checked: RwSignal::new(None),
        };
        if let Some((id, key)) = client::kept() {
            s.id.set(id);
            s.key.set(key);
            s.open();
        }
        s
    }

    fn creds(self) -> (String, String) {
        (
            self.id.get_untracked().trim().to_owned(),
            self.key.get_untracked().trim().to_owned(),
        )
    }

    /// Runs `what` (a request with the id and key), with the status line saying `doing` and the
    /// error line its failure.
    fn request<F, Fut>(self, doing: &'static str, what: F)
    where
        F: FnOnce(String, String) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<(), Failure>> + 'static,
    {
        let (id, key) = self.creds();
        if id.is_empty() || key.is_empty() {
            self.error.set(Some(
                "Enter the subscription id and its management key.".into(),
            ));
            return;
        }
        if self.busy.get_untracked().is_some() {
            return;
        }
        self.busy.set(Some(doing));
        self.error.set(None);
        spawn_local(async move {
            let r = what(id, key).await;
            self.busy.set(None);
            if let Err(f) = r {
                self.error.set(Some(f.words()));
            }
        });
    }

    /// Reads the subscription, its runs and deliveries; keeps the id and key in this tab.
    pub(super) fn open(self) {
        self.request("Loading the subscription…", move |id, key| async move {
            self.load(&id, &key).await
        });
    }

    async fn load(self, id: &str, key: &str) -> Result<(), Failure> {
        let v = call(
            "GET",
            &format!("{PATH}/{}", crate::api::encode(id)),
            Some(key),
            None,
        )
        .await?;
        let shown = Shown::read(&v).ok_or_else(|| Failure {
            status: 200,
            message: "the answer is not a subscription".into(),
        })?;
        client::keep(id, key);
        self.shown.set(Some(shown));
        Ok(())
    }

    /// A subscription just made: kept in this tab, shown once, opened.
    pub(super) fn made(self, c: Created) {
        self.id.set(c.id.clone());
        self.key.set(c.key.clone());
        client::keep(&c.id, &c.key);
        self.checked.set(None);
        self.created.set(Some(c));
        self.open();
    }

    /// "Check now": the service looks for the TXT record at once; then the subscription again.
    pub(super) fn check_now(self) {
        self.checked.set(None);
        self.request("Looking for the TXT record…", move |id, key| async move {
            let path = format!("{PATH}/{}/verify", crate::api::encode(&id));
            let v = call("POST", &path, Some(&key), None).await?;
            let state = text(&v, "state").unwrap_or_default();
            let record = self
                .shown
                .with_untracked(|s| s.as_ref().and_then(|s| s.record.as_ref().map(|r| r.name.clone())))
                .unwrap_or_else(|| "the domain".into());
            let words = match state.as_str() {
                "active" => format!("Found at {record}: the subscription is active, and the domain is checked from now on."),
                "pending" | "paused" => format!("Not seen yet at {record}. A new record can take a few minutes to show in DNS; try again shortly (it is also looked for every 15 minutes)."),
                "unsubscribed" => "This subscription has ended.".to_owned(),
                s => format!("The subscription is {s}."),
            };
            self.checked.set(Some((state, words)));
            self.load(&id, &key).await
        });
    }

    /// Ends the subscription (nothing is checked or sent for it again); then shows it.
    pub(super) fn unsubscribe(self) {
        self.request("Unsubscribing…", move |id, key| async move {
            let path = format!("{PATH}/{}", crate::api::encode(&id));
            call("DELETE", &path, Some(&key), None).await?;
            self.load(&id, &key).await
        });
    }

    /// Forgets the id and key in this tab, and what was shown.
    pub(super) fn close(self) {
        client::forget();
        self.id.set(String::new());
        self.key.set(String::new());
        self.shown.set(None);
        self.created.set(None);
        self.checked.set(None);
        self.error.set(None);
    }
}
