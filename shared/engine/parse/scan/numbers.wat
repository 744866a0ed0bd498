;; Scans the body of a JSON array of non-negative integers: digits, commas and white space, up to the closing ']'.
;; Numbers go out as u32 in order; anything else stops the scan with a status and the position, so the caller
;; (../wasm-scanner.ts) can say what is wrong. State carries over between calls, so input can arrive in
;; pieces of any size.
;;
;; scan(in, len, out, cap) -> status
;;   0  input used up, more expected
;;   1  ']' found at $pos (the last number, if any, was emitted)
;;   2  a byte that does not belong at $pos
;;   3  output full: call again with the rest of the input, from $pos
;;   4  a number over 2^32-1 ends at $pos ($big holds it, it was not emitted; $st is back to 0)
;;   5  two numbers with no ',' between them, at $pos
;;   6  an empty element (',' with no number before it) at $pos
;; After each call, $count holds how many numbers were written to out.
  ;; 1 MB of input, then up to 512 K numbers (2 MB) of output, then the columns splitEdges and splitNodes write:
  ;; types (512 KB), names (2 MB), targets or ids (2 MB), a byte per edge type saying whether it names a string
  ;; (64 KB), self sizes (2 MB), edge ends (2 MB), detachedness (512 KB): see wasm-scanner.ts
  (memory (export "memory") 193)
  (global $cur (mut i64) (i64.const 0))
  (global $st (mut i32) (i32.const 0))      ;; 0 expecting a number, 1 in a number, 2 after a number and white space
  (global $pos (mut i32) (i32.const 0))
  (global $count (mut i32) (i32.const 0))
  (global $big (mut i64) (i64.const 0))
  (func (export "pos") (result i32) global.get $pos)
  (func (export "count") (result i32) global.get $count)
  (func (export "state") (result i32) global.get $st)
  (func (export "big") (result f64) global.get $big f64.convert_i64_u)
  (func (export "reset")
    i64.const 0 global.set $cur
    i32.const 0 global.set $st)
  (func (export "cur") (result f64) global.get $cur f64.convert_i64_u)
  (func (export "setState") (param $cur f64) (param $st i32)
    local.get $cur i64.trunc_sat_f64_u global.set $cur
    local.get $st global.set $st)

  (func (export "scan") (param $in i32) (param $len i32) (param $out i32) (param $cap i32) (result i32)
    (local $i i32) (local $end i32) (local $c i32) (local $d i32) (local $cur i64) (local $st i32)
    (local $o i32) (local $oend i32) (local $status i32) (local $j i32) (local $v i32)
    local.get $in
    local.set $i
    local.get $in
    local.get $len
    i32.add
    local.set $end
    local.get $out
    local.set $o
    local.get $out
    local.get $cap
    i32.const 2
    i32.shl
    i32.add
    local.set $oend
    global.get $cur
    local.set $cur
    global.get $st
    local.set $st
    i32.const 0
    local.set $status
    (block $stop
      (loop $next
        ;; Fast path: whole numbers of up to 10 digits ended by ',' (or by a newline and ','), well inside the
        ;; input, one at a time with no state changes. Anything else falls through to the byte-by-byte steps below,
        ;; which start again from the same byte.
        (block $slow
          (br_if $slow (i32.ne (local.get $st) (i32.const 0)))
          (loop $fast
            (br_if $slow (i32.gt_u (i32.add (local.get $i) (i32.const 24)) (local.get $end)))
            (br_if $slow (i32.ge_u (local.get $o) (local.get $oend)))
            (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
            (br_if $slow (i32.ge_u (local.get $d) (i32.const 10)))
            (local.set $j (i32.add (local.get $i) (i32.const 1)))
            (local.set $v (local.get $d))
            (block $digits
              (loop $digit
                (local.set $d (i32.sub (i32.load8_u (local.get $j)) (i32.const 48)))
                (br_if $digits (i32.ge_u (local.get $d) (i32.const 10)))
                (br_if $slow (i32.ge_u (i32.sub (local.get $j) (local.get $i)) (i32.const 9)))
                (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $d)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $digit)))
            ;; at most 9 digits: the value fits in 32 bits
            (local.set $c (i32.load8_u (local.get $j)))
            (if (i32.eq (local.get $c) (i32.const 44))
              (then (local.set $j (i32.add (local.get $j) (i32.const 1))))
              (else
                (br_if $slow (i32.ne (local.get $c) (i32.const 10)))
                (br_if $slow (i32.ne (i32.load8_u offset=1 (local.get $j)) (i32.const 44)))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))))
            (i32.store (local.get $o) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (local.set $i (local.get $j))
            (br $fast)))
        local.get $i
        local.get $end
        i32.ge_u
        br_if $stop
        local.get $i
        i32.load8_u
        local.tee $c
        i32.const 48
        i32.sub
        local.tee $d
        i32.const 10
        i32.lt_u
        (if
          (then
            ;; a digit
            local.get $st
            i32.const 2
            i32.eq
            (if (then i32.const 5 local.set $status br $stop))
            local.get $cur
            i64.const 10
            i64.mul
            local.get $d
            i64.extend_i32_u
            i64.add
            local.set $cur
            ;; keep it from wrapping: anything past 10^15 is too large anyway
            local.get $cur
            i64.const 1000000000000000
            i64.gt_u
            (if (then i64.const 1000000000000001 local.set $cur))
            i32.const 1
            local.set $st
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br $next))
        local.get $c
        i32.const 44
        i32.eq
        local.get $c
        i32.const 93
        i32.eq
        i32.or
        (if
          (then
            ;; ',' or ']': end the number in hand
            local.get $st
            (if
              (then
                local.get $cur
                i64.const 4294967295
                i64.gt_u
                (if (then
                  local.get $cur
                  global.set $big
                  i64.const 0
                  local.set $cur
                  i32.const 0
                  local.set $st
                  i32.const 4
                  local.set $status
                  br $stop))
                local.get $o
                local.get $oend
                i32.ge_u
                (if (then i32.const 3 local.set $status br $stop))
                local.get $o
                local.get $cur
                i64.store32
                local.get $o
                i32.const 4
                i32.add
                local.set $o
                i64.const 0
                local.set $cur)
              (else
                local.get $c
                i32.const 44
                i32.eq
                (if (then i32.const 6 local.set $status br $stop))))
            local.get $c
            i32.const 93
            i32.eq
            (if (then i32.const 1 local.set $status br $stop))
            i32.const 0
            local.set $st
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br $next))
        ;; white space: 32, 10, 13, 9
        local.get $c
        i32.const 32
        i32.eq
        local.get $c
        i32.const 10
        i32.eq
        i32.or
        local.get $c
        i32.const 13
        i32.eq
        i32.or
        local.get $c
        i32.const 9
        i32.eq
        i32.or
        (if
          (then
            local.get $st
            i32.const 1
            i32.eq
            (if (then i32.const 2 local.set $st))
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br $next))
        i32.const 2
        local.set $status
        br $stop))
    local.get $cur
    global.set $cur
    local.get $st
    global.set $st
    local.get $i
    global.set $pos
    local.get $o
    local.get $out
    i32.sub
    i32.const 2
    i32.shr_u
    global.set $count
    local.get $status)
