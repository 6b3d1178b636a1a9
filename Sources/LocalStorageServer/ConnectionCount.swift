import NIOCore
import Synchronization

/// Counts connections and keeps their descriptors within budget: up to `cap` are served; a few
/// more (`reserve`) get a 503 while they close; beyond that the server stops accepting (new
/// connections wait in the kernel's backlog) until one closes. So a full descriptor table never
/// makes `accept` fail in a loop.
final class ConnectionCount: Sendable {
    private struct Counts {
        var served = 0, refused = 0, paused = false
    }

    let cap: Int
    let reserve: Int
    private let counts = Mutex(Counts())

    init(cap: Int, reserve: Int = 16) {
        self.cap = cap
        self.reserve = reserve
    }

    /// Counts a new connection: true when it may be served, false when it gets a 503. Pauses
    /// accepting on `server` when the budget is used, and resumes once `channel` closes.
    func admit(_ channel: Channel) -> Bool {
        let (served, pause) = counts.withLock { counts -> (Bool, Bool) in
            let served = counts.served < cap
            if served { counts.served += 1 } else { counts.refused += 1 }
            let pause = !counts.paused && counts.served + counts.refused >= cap + reserve
            if pause { counts.paused = true }
            return (served, pause)
        }
        if pause { channel.parent?.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
        channel.closeFuture.whenComplete { [self] _ in
            let resume = counts.withLock { counts -> Bool in
                if served { counts.served -= 1 } else { counts.refused -= 1 }
                let resume = counts.paused && counts.served + counts.refused < cap + reserve
                if resume { counts.paused = false }
                return resume
            }
            if resume {
                channel.parent?.setOption(ChannelOptions.autoRead, value: true).whenSuccess { channel.parent?.read() }
            }
        }
        return served
    }
}
