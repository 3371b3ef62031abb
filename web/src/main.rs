//! Mounts the app; everything else lives in the library (so component tests can use it).
fn main() {
    mtasts_web::start();
}
