//! A proof of consent cannot be made out of nothing.
use cookie_contract::{Analytics, Granted};

fn main() {
    let _proof: Granted<Analytics> = Granted { _category: std::marker::PhantomData };
}
