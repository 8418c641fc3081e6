//! `routes![a, path::to::b]`: builds the router from each handler's same-named route struct,
//! and checks at compile time that no two handlers claim one METHOD and PATH.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Path, Token};

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
    let handlers: Vec<&Path> = handlers.iter().collect();
    // One statement per route on a local (hygienic, so no handler name can shadow it) rather
    // than a chain of calls that each move the list: less code for the compiler per route.
    let list = proc_macro2::Ident::new("routes", proc_macro2::Span::mixed_site());
    quote! {{
        const _: () = {
            const ROUTES: &[(::cors_runtime::__private::RouteMethod, &str)] =
                &[#((<#handlers as ::cors_runtime::__private::CorsRoute>::ROUTE.method, <#handlers as ::cors_runtime::__private::CorsRoute>::ROUTE.path)),*];
            const NAMES: &[&str] = &[#(#names),*];
            if let ::core::option::Option::Some((first, second)) = ::cors_runtime::__private::duplicate_route(ROUTES) {
                let message = ::cors_runtime::__private::duplicate_message(ROUTES, NAMES, first, second);
                ::core::panic!("{}", message.as_str());
            }
        };
        let mut #list = ::cors_runtime::__private::Routes::__new();
        #(#list.__route::<#handlers, _, _>(#handlers);)*
        #list
    }}
}

fn first_span(path: &Path) -> proc_macro2::Span {
    use syn::spanned::Spanned;
    path.span()
}
