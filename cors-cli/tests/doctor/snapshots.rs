#[tokio::test(flavor = "multi_thread")]
async fn scratch() {
    let base = super::serve(super::apps::tower_http(super::apps::by_the_book())).await;
    let out = super::doctor(&[&format!("{base}/orders"), "--origin", super::APP, "--method", "PUT"]).await;
    println!("{}", String::from_utf8_lossy(&out.stdout));
}
