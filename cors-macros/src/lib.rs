//! The macros of `cors-runtime` (use them from there): `#[cors_policy]`, `#[cors]`, `routes!`.
//!
//! Each attribute runs parse (`ast`) → check (`valid`, collecting every error in a `Ctxt`) →
//! emit (`expand`); when a check fails, `fallback` still emits the item so the only errors the
//! user sees are the ones that name a rule.
#![deny(missing_docs)]

mod ast;
mod ctxt;
mod expand;
mod fallback;
mod routes;
mod valid;

use proc_macro::TokenStream;
use quote::ToTokens;
use syn::{Fields, ItemFn, ItemStruct};

use crate::ctxt::Ctxt;
use crate::valid::Site;

/// A named, reusable policy on a unit struct: `#[cors_policy(origins = [...], ...)] pub struct AppSession;`
#[proc_macro_attribute]
pub fn cors_policy(args: TokenStream, item: TokenStream) -> TokenStream {
    let Ok(item) = syn::parse::<ItemStruct>(item.clone()) else {
        return with_error(item, "#[cors_policy] goes on a unit struct, e.g. `pub struct AppSession;`");
    };
    let cx = Ctxt::default();
    if !matches!(item.fields, Fields::Unit) || !item.generics.params.is_empty() {
        cx.error(
            item.ident.span(),
            "#[cors_policy] goes on a unit struct without generics, e.g. `pub struct AppSession;`",
        );
    }
    let args = ast::parse_policy_attr(&cx, args.into());
    let policy = valid::check_policy(&cx, &args, Site::NamedPolicy(&item.ident));
    match cx.check() {
        Ok(()) => expand::named_policy(&item, &policy),
        Err(errors) => {
            let mut out = fallback::named_policy(&item);
            out.extend(errors.to_compile_error());
            out
        }
    }
    .into()
}

/// A route: `#[cors(GET "/orders/{id}", policy = AppSession)] async fn get_order(...) { ... }`
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let Ok(item) = syn::parse::<ItemFn>(item.clone()) else {
        return with_error(item, "#[cors] goes on a handler function, e.g. `async fn profile() -> String`");
    };
    if let Some(receiver) = item.sig.receiver() {
        // Inside an `impl` the route struct cannot be emitted, so this is the only error.
        let mut out = item.to_token_stream();
        out.extend(
            syn::Error::new_spanned(
                receiver,
                "#[cors] goes on a free function, not a method: axum handlers take no `self` and `routes![...]` finds a handler by its module path; move it out of the `impl` block into a module (`mod orders { #[cors(GET \"/orders\", ...)] pub async fn list() ... }`)",
            )
            .to_compile_error(),
        );
        return out.into();
    }
    let cx = Ctxt::default();
    let route = ast::parse_route_attr(&cx, args.into());
    let policy = route.as_ref().map(|route| valid::check_route(&cx, route));
    match (cx.check(), &route, &policy) {
        (Ok(()), Some(route), Some(policy)) => expand::route(&item, route, policy),
        (Ok(()), ..) => unreachable!("a route that failed to parse has reported an error"),
        (Err(errors), route, _) => {
            let mut out = fallback::route(&item, route.as_ref());
            out.extend(errors.to_compile_error());
            out
        }
    }
    .into()
}

/// The router of some `#[cors]` handlers: `routes![profile, orders::create]`.
#[proc_macro]
pub fn routes(input: TokenStream) -> TokenStream {
    routes::expand(input.into()).into()
}

fn with_error(item: TokenStream, message: &str) -> TokenStream {
    let mut out: proc_macro2::TokenStream = item.into();
    out.extend(syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error());
    out.into()
}
