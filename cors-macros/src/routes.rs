//! `routes![a, path::to::b]`: builds the router from each handler's same-named route struct,
//! and checks at compile time that no two handlers claim one METHOD and PATH.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Ident, Path, Token};

use crate::ctxt::Ctxt;

pub fn expand(input: TokenStream) -> TokenStream {
    let handlers = match Punctuated::<Path, Token![,]>::parse_terminated.parse2(input) {
        Ok(handlers) => handlers,
        Err(e) => {
            let message = format!("{e}; expected handler paths: routes![profile, orders::create]");
            return syn::Error::new(e.span(), message).to_compile_error();
        }
    };
    let cx = Ctxt::default();
    let names: Vec<String> = handlers.iter().map(|h| quote!(#h).to_string().replace(' ', "")).collect();
    for (i, handler) in handlers.iter().enumerate() {
        if names[..i].contains(&names[i]) {
            cx.error(
                first_span(handler),
                format!("handler `{}` is listed twice in routes![...]: each handler serves one route", names[i]),
            );
        }
    }
    if let Err(e) = cx.check() {
        return e.to_compile_error();
    }
    // One statement per route on a local (hygienic, so no handler name can shadow it) rather
    // than a chain of calls that each move the list: less code for the compiler per route.
    let list = proc_macro2::Ident::new("routes", proc_macro2::Span::mixed_site());
    // Route i's struct is `__CorsRoute{i}`, imported from the handler's path in an inner block;
    // a function without `#[cors]` has no struct of its name, so the placeholder imported under
    // the same name in the outer block stands in (an import fills only the namespaces its path
    // has), and the const check reports the handler by name, with the fix, where rustc would
    // say "expected type, found function".
    let route_names: Vec<Ident> = handlers
        .iter()
        .enumerate()
        .map(|(i, handler)| Ident::new(&format!("__CorsRoute{i}"), last_span(handler)))
        .collect();
    let placeholders = route_names.iter().map(|route| {
        quote! { #[allow(unused_imports)] use ::cors_runtime::__private::Unrouted as #route; }
    });
    let imports = handlers.iter().zip(&route_names).map(|(handler, route)| {
        quote_spanned! {last_span(handler)=> #[allow(unused_imports)] use #handler as #route; }
    });
    let routes = route_names.iter().map(|route| {
        let route_type = quote!(<#route as ::cors_runtime::__private::CorsRoute>);
        quote!((#route_type::ROUTE.method, #route_type::ROUTE.path))
    });
    // Each call is spanned at its handler, so a handler axum cannot call is reported there; it
    // takes the handler by its own path, so a typo gets rustc's guess at the name.
    let calls = handlers.iter().zip(&route_names).map(|(handler, route)| {
        quote_spanned! {last_span(handler)=> #list.__route::<#route, _, _>(#handler); }
    });
    quote! {{
        #(#placeholders)*
        {
            #(#imports)*
            const _: () = {
                const ROUTES: &[(::cors_runtime::__private::RouteMethod, &str)] = &[#(#routes),*];
                const NAMES: &[&str] = &[#(#names),*];
                if let ::core::option::Option::Some(i) = ::cors_runtime::__private::unrouted_handler(ROUTES) {
                    let message = ::cors_runtime::__private::unrouted_message(NAMES[i]);
                    ::core::panic!("{}", message.as_str());
                }
                if let ::core::option::Option::Some((first, second)) = ::cors_runtime::__private::duplicate_route(ROUTES) {
                    let message = ::cors_runtime::__private::duplicate_message(ROUTES, NAMES, first, second);
                    ::core::panic!("{}", message.as_str());
                }
            };
            let mut #list = ::cors_runtime::__private::Routes::__new();
            #(#calls)*
            #list
        }
    }}
}

fn first_span(path: &Path) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    path.span()
}

/// The span of a path's last name, the handler's own (a path's whole span is its first token).
fn last_span(path: &Path) -> proc_macro2::Span {
    path.segments.last().map_or_else(proc_macro2::Span::call_site, |segment| segment.ident.span())
}
