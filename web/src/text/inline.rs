//! Inline `code` in finding messages and code docs, as runs rendered as text nodes.

/// Inline text: plain, or `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text(String),
    Code(String),
}

/// Splits text with `backticked` parts into plain and code runs (rendered as text nodes).
pub(crate) fn inlines(text: &str) -> Vec<Inline> {
    text.split('`')
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| {
            if i % 2 == 1 {
                Inline::Code(s.to_owned())
            } else {
                Inline::Text(s.to_owned())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_are_code() {
        assert_eq!(
            inlines("use `mx:` here"),
            vec![
                Inline::Text("use ".into()),
                Inline::Code("mx:".into()),
                Inline::Text(" here".into())
            ]
        );
        assert_eq!(inlines(""), vec![]);
    }
}
