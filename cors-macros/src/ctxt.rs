//! Error collection (serde_derive's `Ctxt`): every check reports here, and the caller turns
//! all of them into one combined error, so a user sees every mistake of an item in one build.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::Span;

#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    pub fn error(&self, span: Span, message: impl Display) {
        self.errors.borrow_mut().push(syn::Error::new(span, message));
    }

    pub fn syn_error(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// How many errors have been reported, so a phase can tell whether it added any.
    pub fn error_count(&self) -> usize {
        self.errors.borrow().len()
    }

    /// All errors reported so far, combined into one; `Ok` when there were none.
    pub fn check(self) -> Result<(), syn::Error> {
        let mut errors = self.errors.into_inner().into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}
