//! The debug binary is linked at a fixed address (not position-independent): the end-to-end
//! tests start it thousands of times, and each start of a PIE spent a quarter of its time in
//! the kernel and the loader, applying ~100,000 relocations to pages it then had to copy.
//! Release builds stay position-independent (address-space randomisation).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() == Ok("debug")
        && std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
    {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
