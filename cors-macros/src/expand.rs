//! Emitting: a checked policy becomes static data; a route becomes its handler, unchanged, plus
//! a same-named braced struct carrying the route's metadata and the cross-item checks.

use cors_rules::ROUTE_METHODS;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, ItemFn, ItemStruct, Path};

use crate::ast::RouteAttr;
use crate::valid::{CheckedPolicy, RoutePolicy};

/// `#[cors_policy]`: the struct, its `NamedPolicy` impl, its public/private marker and `layer()`.
pub fn named_policy(item: &ItemStruct, policy: &CheckedPolicy) -> TokenStream {
    let ident = &item.ident;
    let vis = &item.vis;
    let name = ident.to_string();
    let methods = policy.methods;
    let marker = if policy.public { quote!(PublicPolicy) } else { quote!(PrivatePolicy) };
    let statics = policy_static(&name, policy);
    let dynamic_origins = policy.dynamic.then(|| dynamic_origins_fn(vis));
    quote! {
        #item

        impl ::cors_runtime::__private::NamedPolicy for #ident {
            const NAME: &'static str = #name;
            const METHODS: ::cors_runtime::__private::MethodSet = ::cors_runtime::__private::MethodSet(#methods);
            const POLICY: &'static ::cors_runtime::__private::Policy = #statics;
        }

        impl ::cors_runtime::__private::#marker for #ident {}

        impl #ident {
            /// This policy as a tower layer for a whole router or proxy; preflights are
            /// answered from the policy's `methods`. Panics when [`Self::check`] fails.
            #vis fn layer() -> ::cors_runtime::__private::PolicyLayer {
                ::cors_runtime::__private::PolicyLayer::__new(<Self as ::cors_runtime::__private::NamedPolicy>::policy())
            }

            /// Reads and checks what the policy takes from the environment (`origins = env(...)`).
            #vis fn check() -> ::core::result::Result<(), ::cors_runtime::__private::ConfigError> {
                <Self as ::cors_runtime::__private::NamedPolicy>::policy().check()
            }

            #dynamic_origins
        }
    }
}

/// `Name::origins()` of an `origins = dynamic` policy (the fallback emits it for every invalid
/// policy, so code that fills the list shows no follow-on error).
pub fn dynamic_origins_fn(vis: &syn::Visibility) -> TokenStream {
    quote! {
        /// The allowlist this policy takes while the service runs: `replace`, `insert`,
        /// `remove`, each entry checked by the rules a written list passes.
        #vis fn origins() -> &'static ::cors_runtime::__private::DynamicOrigins {
            ::cors_runtime::__private::dynamic_origins(<Self as ::cors_runtime::__private::NamedPolicy>::policy())
        }
    }
}

/// `#[cors]`: the handler as written, and the route struct that `routes![...]` reads.
pub fn route(item: &ItemFn, route: &RouteAttr, policy: &RoutePolicy) -> TokenStream {
    let handler = &item.sig.ident;
    let method = method_variant(&route.method);
    let path = &route.path;
    let (policy_body, checks) = match policy {
        RoutePolicy::Inline(policy) => (policy_static("inline", policy), TokenStream::new()),
        RoutePolicy::Named(named) => {
            // The user's path is written once, in an alias the route and its checks share, so a
            // mistyped name is one error rather than one per use. The alias carries the policy
            // name's own span, so a failed check points there (a mixed-site span would be shown
            // at the whole attribute).
            let name = named.segments.last().map_or_else(Span::call_site, |segment| segment.ident.span());
            let alias = Ident::new("__CorsPolicy", name);
            let checks = named_policy_checks(route, named, &alias);
            (quote!(<#alias as ::cors_runtime::__private::NamedPolicy>::POLICY), quote!(type #alias = #named; #checks))
        }
    };
    route_struct(item, &method, &quote!(#path), policy_body, checks, handler)
}

/// The braced struct beside a handler: it shares the handler's name in the type namespace. Its
/// impl sits in an anonymous const whose value is the checks, the scope of what they share.
pub fn route_struct(
    item: &ItemFn,
    method: &TokenStream,
    path: &TokenStream,
    policy_body: TokenStream,
    checks: TokenStream,
    handler: &Ident,
) -> TokenStream {
    let vis = &item.vis;
    let name = handler.to_string();
    quote! {
        #item

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #handler {}

        const _: () = {
            impl ::cors_runtime::__private::CorsRoute for #handler {
                const ROUTE: &'static ::cors_runtime::__private::RouteInfo = &::cors_runtime::__private::RouteInfo {
                    method: #method,
                    path: #path,
                    handler: #name,
                    policy: #policy_body,
                };
            }

            #checks
        };
    }
}

/// Cross-item checks against a named policy (through `alias`), as the value of the route's
/// anonymous const: the public/private agreement is the trait bound of the function called (a
/// custom diagnostic at the policy's path), and the route's method being in the policy's
/// `methods` is its const evaluation (an error at the method).
fn named_policy_checks(route: &RouteAttr, policy: &Path, alias: &Ident) -> TokenStream {
    let check = if route.public.is_some() { quote!(public_route) } else { quote!(private_route) };
    let method = method_variant(&route.method);
    let method_name = route.method.to_string();
    let policy_name = quote!(#policy).to_string().replace(' ', "");
    let message = format!(
        "route `{method_name} {}` uses policy `{policy_name}`, whose `methods` does not list {method_name}: add {method_name} to the policy's `methods`, or use another policy",
        route.path.value()
    );
    quote_spanned! {route.method.span()=>
        ::cors_runtime::__private::#check::<#alias>(#method, #message)
    }
}

/// `GET` → `::cors_runtime::__private::RouteMethod::Get` (an unknown method has been reported already).
pub fn method_variant(method: &Ident) -> TokenStream {
    let name = method.to_string();
    let variant = match ROUTE_METHODS.iter().position(|m| *m == name) {
        Some(i) => ["Get", "Head", "Post", "Put", "Patch", "Delete"][i],
        None => "Get",
    };
    let variant = format_ident!("{}", variant);
    quote!(::cors_runtime::__private::RouteMethod::#variant)
}

/// A block that defines the policy's statics and evaluates to `&'static Policy`.
fn policy_static(name: &str, p: &CheckedPolicy) -> TokenStream {
    let credentials = p.credentials;
    let origins = if p.public {
        quote!(::cors_runtime::__private::Origins::Any)
    } else if p.dynamic {
        quote!(::cors_runtime::__private::Origins::Dynamic(::cors_runtime::__private::DynamicOrigins::__new(#name, #credentials)))
    } else if let Some((var, default)) = &p.env {
        let default = match default {
            Some(default) => quote!(::core::option::Option::Some(#default)),
            None => quote!(::core::option::Option::None),
        };
        quote!(::cors_runtime::__private::Origins::Env(::cors_runtime::__private::EnvOrigins::__new(#var, #default)))
    } else {
        let exact = &p.exact;
        let prefixes = p.patterns.iter().map(|(prefix, _)| prefix);
        let suffixes = p.patterns.iter().map(|(_, suffix)| suffix);
        let as_written = &p.as_written;
        quote! {
            ::cors_runtime::__private::Origins::List(::cors_runtime::__private::OriginList {
                exact: &[#(#exact),*],
                exact_values: &EXACT_VALUES,
                patterns: &[#(::cors_runtime::__private::Pattern { prefix: #prefixes, suffix: #suffixes }),*],
                as_written: &[#(#as_written),*],
            })
        }
    };
    let exact = &p.exact;
    let count = exact.len();
    let methods = p.methods;
    let allow_methods = ROUTE_METHODS
        .iter()
        .enumerate()
        .filter(|(i, _)| methods & (1 << i) != 0)
        .map(|(_, m)| *m)
        .collect::<Vec<_>>()
        .join(", ");
    let headers = &p.headers;
    let any_header = p.any_header;
    let expose = &p.expose;
    let expose_value = if expose.is_empty() {
        quote!(::core::option::Option::None)
    } else {
        let joined = expose.join(", ");
        quote!(::core::option::Option::Some(::cors_runtime::__private::HeaderValue::from_static(#joined)))
    };
    let max_age = p.max_age;
    let max_age_value = max_age.to_string();
    let private_network = p.private_network;
    let strict = p.strict;
    quote! {{
        static EXACT_VALUES: [::cors_runtime::__private::HeaderValue; #count] =
            [#(::cors_runtime::__private::HeaderValue::from_static(#exact)),*];
        static POLICY: ::cors_runtime::__private::Policy = ::cors_runtime::__private::Policy {
            name: #name,
            origins: #origins,
            credentials: #credentials,
            methods: ::cors_runtime::__private::MethodSet(#methods),
            allow_methods: ::cors_runtime::__private::HeaderValue::from_static(#allow_methods),
            headers: &[#(#headers),*],
            any_header: #any_header,
            expose: &[#(#expose),*],
            expose_value: #expose_value,
            max_age: #max_age,
            max_age_value: ::cors_runtime::__private::HeaderValue::from_static(#max_age_value),
            private_network: #private_network,
            strict: #strict,
        };
        &POLICY
    }}
}
