//! What an invalid attribute still emits (thiserror's habit): the user's item plus the same
//! items a valid attribute would add, so the only errors are the ones the checks reported and
//! `routes![...]` elsewhere sees no follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemFn, ItemStruct};

use crate::ast::RouteAttr;
use crate::expand::{dynamic_origins_fn, method_variant, route_struct};

pub fn named_policy(item: &ItemStruct) -> TokenStream {
    let ident = &item.ident;
    let vis = &item.vis;
    let name = ident.to_string();
    let dynamic_origins = dynamic_origins_fn(vis);
    quote! {
        #item

        impl ::cors_runtime::__private::NamedPolicy for #ident {
            const NAME: &'static str = #name;
            const METHODS: ::cors_runtime::__private::MethodSet = ::cors_runtime::__private::MethodSet::ANY;
            const POLICY: &'static ::cors_runtime::__private::Policy = &::cors_runtime::__private::INVALID_ATTRIBUTE;
        }
        impl ::cors_runtime::__private::PublicPolicy for #ident {}
        impl ::cors_runtime::__private::PrivatePolicy for #ident {}
        impl #ident {
            #vis fn layer() -> ::cors_runtime::__private::PolicyLayer {
                ::cors_runtime::__private::PolicyLayer::__new(<Self as ::cors_runtime::__private::NamedPolicy>::policy())
            }
            #vis fn check() -> ::core::result::Result<(), ::cors_runtime::__private::ConfigError> {
                <Self as ::cors_runtime::__private::NamedPolicy>::policy().check()
            }
            #dynamic_origins
        }
    }
}

pub fn route(item: &ItemFn, route: Option<&RouteAttr>) -> TokenStream {
    let handler = &item.sig.ident;
    let method = match route {
        Some(route) => method_variant(&route.method),
        None => quote!(::cors_runtime::__private::RouteMethod::Get),
    };
    // A path no valid route can have, so `routes![...]` reports no spurious duplicate.
    let path = format!("/{{__invalid_cors_route}}/{handler}");
    let invalid = quote!(&::cors_runtime::__private::INVALID_ATTRIBUTE);
    route_struct(item, &method, &quote!(#path), invalid, TokenStream::new(), handler)
}
