/// An in-place introsort that needs no scratch memory.
///
/// Quicksort with median-of-three pivots, insertion sort for short runs and heapsort past a depth
/// limit; the standard library's stable sort would allocate half the buffer again. Used to sort a
/// subset's records where they lie.
enum InPlaceSort {
    static func sort(_ values: UnsafeMutableBufferPointer<SampleID>) {
        guard values.count > 1 else { return }
        var depth = 0
        var n = values.count
        while n > 1 {
            depth += 2
            n >>= 1
        }
        introsort(values, 0, values.count, depthLimit: depth)
    }

    private static func introsort(_ a: UnsafeMutableBufferPointer<SampleID>, _ low: Int, _ high: Int, depthLimit: Int) {
        var low = low
        var high = high
        var depth = depthLimit
        while high - low > 16 {
            if depth == 0 {
                heapsort(a, low, high)
                return
            }
            depth -= 1
            let middle = low + (high - low) / 2
            // Median of three into a[low], then partition (Hoare) around it.
            if a[middle] < a[low] { a.swapAt(middle, low) }
            if a[high - 1] < a[low] { a.swapAt(high - 1, low) }
            if a[high - 1] < a[middle] { a.swapAt(high - 1, middle) }
            a.swapAt(low, middle)
            let pivot = a[low]
            var i = low
            var j = high
            while true {
                repeat { i += 1 } while i < high && a[i] < pivot
                repeat { j -= 1 } while pivot < a[j]
                if i >= j { break }
                a.swapAt(i, j)
            }
            a.swapAt(low, j)
            // Recurse into the smaller side, loop on the larger (stack depth O(log n)).
            if j - low < high - j - 1 {
                introsort(a, low, j, depthLimit: depth)
                low = j + 1
            } else {
                introsort(a, j + 1, high, depthLimit: depth)
                high = j
            }
        }
        // Insertion sort of the short run.
        if high - low > 1 {
            for k in (low + 1)..<high {
                let value = a[k]
                var m = k - 1
                while m >= low && value < a[m] {
                    a[m + 1] = a[m]
                    m -= 1
                }
                a[m + 1] = value
            }
        }
    }

    private static func heapsort(_ a: UnsafeMutableBufferPointer<SampleID>, _ low: Int, _ high: Int) {
        let count = high - low
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && a[low + child] < a[low + child + 1] { child += 1 }
                guard a[low + root] < a[low + child] else { return }
                a.swapAt(low + root, low + child)
                root = child
            }
        }
        for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
        for end in stride(from: count - 1, to: 0, by: -1) {
            a.swapAt(low, low + end)
            siftDown(0, end)
        }
    }
}
