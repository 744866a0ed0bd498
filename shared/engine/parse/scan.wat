;; Scans the body of a JSON array of non-negative integers: digits, commas and white space, up to the closing ']'.
;; Numbers go out as u32 in order; anything else stops the scan with a status and the position, so the caller
;; (shared/parse/wasm-scanner.ts) can say what is wrong. State carries over between calls, so input can arrive in
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
(module
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
    local.get $status);; splitEdges(src, records, ef, typeAt, nameAt, toAt, nf, typeCount, nodeCount, named, dType, dName, dTo) -> ok
;; Splits `records` whole edge records of `ef` u32 numbers at src (fields at byte offsets typeAt, nameAt, toAt)
;; into two u32 columns: name, and target node ordinal (to_node / nf) with the type in its top 3 bits (dType is
;; not written; the caller keeps typeCount <= 8 and nodeCount <= 2^29). Checks each record as
;; the JS parser does (type < typeCount, to_node a multiple of nf, ordinal < nodeCount) and returns 0 at the first
;; that fails, else 1. Keeps in $nameMax the largest name of an edge whose type is named (named[type] = 1).
  (global $nameMax (mut i32) (i32.const 0))
  (func (export "nameMax") (result f64) global.get $nameMax f64.convert_i32_u)
  (func (export "setNameMax") (param $v f64) local.get $v i32.trunc_sat_f64_u global.set $nameMax)
  (func (export "splitEdges")
    (param $src i32) (param $records i32) (param $ef i32) (param $typeAt i32) (param $nameAt i32) (param $toAt i32)
    (param $nf i32) (param $typeCount i32) (param $nodeCount i32) (param $named i32)
    (param $dType i32) (param $dName i32) (param $dTo i32) (result i32)
    (local $r i32) (local $p i32) (local $step i32) (local $t i32) (local $to i32) (local $o i32) (local $name i32) (local $max i32)
    (local $p2 i32)
    global.get $nameMax
    local.set $max
    local.get $ef
    i32.const 2
    i32.shl
    local.set $step
    local.get $src
    local.set $p
    (block $done
      (loop $next
        local.get $r
        local.get $records
        i32.ge_u
        br_if $done
        local.get $p
        local.get $typeAt
        i32.add
        i32.load
        local.set $t
        local.get $p
        local.get $toAt
        i32.add
        i32.load
        local.set $to
        local.get $p
        local.get $nameAt
        i32.add
        i32.load
        local.set $name
        local.get $to
        local.get $nf
        i32.div_u
        local.set $o
        ;; checks: type, multiple of nf, ordinal in range
        local.get $t
        local.get $typeCount
        i32.ge_u
        local.get $o
        local.get $nf
        i32.mul
        local.get $to
        i32.ne
        i32.or
        local.get $o
        local.get $nodeCount
        i32.ge_u
        i32.or
        (if (then
          local.get $max
          global.set $nameMax
          i32.const 0
          return))
        local.get $r
        i32.const 2
        i32.shl
        local.tee $p2
        local.get $dName
        i32.add
        local.get $name
        i32.store
        ;; the target's ordinal, with the type in the top 3 bits (HeapGraph.edgeTypeTo)
        local.get $p2
        local.get $dTo
        i32.add
        local.get $o
        local.get $t
        i32.const 29
        i32.shl
        i32.or
        i32.store
        ;; max = named[t] && name > max ? name : max
        local.get $name
        local.get $max
        local.get $named
        local.get $t
        i32.add
        i32.load8_u
        local.get $name
        local.get $max
        i32.gt_u
        i32.and
        select
        local.set $max
        local.get $p
        local.get $step
        i32.add
        local.set $p
        local.get $r
        i32.const 1
        i32.add
        local.set $r
        br $next))
    local.get $max
    global.set $nameMax
    i32.const 1)
;; splitNodes(src, records, nf, typeAt, nameAt, idAt, selfAt, ecAt, detAt, typeCount, edgeCount,
;;            dType, dName, dId, dSelf, dEnd, dDet) -> ok
;; Splits `records` whole node records of `nf` u32 numbers (fields at byte offsets; detAt < 0 when there is no
;; detachedness) into columns: type u8, name, id, self size u32, the running edge count after each node u32
;; (from $edges), detachedness & 3 u8. Returns 0 at the first record whose type is >= typeCount or whose edges
;; run past edgeCount, else 1. Keeps in $nodeNameMax the largest name.
  (global $edges (mut i64) (i64.const 0))
  (global $nodeNameMax (mut i32) (i32.const 0))
  (func (export "edges") (result f64) global.get $edges f64.convert_i64_u)
  (func (export "setEdges") (param $v f64) local.get $v i64.trunc_sat_f64_u global.set $edges)
  (func (export "nodeNameMax") (result f64) global.get $nodeNameMax f64.convert_i32_u)
  (func (export "setNodeNameMax") (param $v f64) local.get $v i32.trunc_sat_f64_u global.set $nodeNameMax)
  (func (export "splitNodes")
    (param $src i32) (param $records i32) (param $nf i32) (param $typeAt i32) (param $nameAt i32) (param $idAt i32)
    (param $selfAt i32) (param $ecAt i32) (param $detAt i32) (param $typeCount i32) (param $edgeCount f64)
    (param $dType i32) (param $dName i32) (param $dId i32) (param $dSelf i32) (param $dEnd i32) (param $dDet i32)
    (result i32)
    (local $r i32) (local $p i32) (local $step i32) (local $t i32) (local $name i32) (local $max i32) (local $q i32)
    (local $edges i64) (local $limit i64)
    global.get $nodeNameMax
    local.set $max
    global.get $edges
    local.set $edges
    local.get $edgeCount
    i64.trunc_sat_f64_u
    local.set $limit
    local.get $nf
    i32.const 2
    i32.shl
    local.set $step
    local.get $src
    local.set $p
    (block $done
      (loop $next
        local.get $r
        local.get $records
        i32.ge_u
        br_if $done
        local.get $p
        local.get $typeAt
        i32.add
        i32.load
        local.set $t
        local.get $edges
        local.get $p
        local.get $ecAt
        i32.add
        i64.load32_u
        i64.add
        local.set $edges
        local.get $t
        local.get $typeCount
        i32.ge_u
        local.get $edges
        local.get $limit
        i64.gt_u
        i32.or
        (if (then
          local.get $max
          global.set $nodeNameMax
          i32.const 0
          return))
        local.get $dType
        local.get $r
        i32.add
        local.get $t
        i32.store8
        local.get $p
        local.get $nameAt
        i32.add
        i32.load
        local.set $name
        local.get $r
        i32.const 2
        i32.shl
        local.set $q
        local.get $q
        local.get $dName
        i32.add
        local.get $name
        i32.store
        local.get $name
        local.get $max
        local.get $name
        local.get $max
        i32.gt_u
        select
        local.set $max
        local.get $q
        local.get $dId
        i32.add
        local.get $p
        local.get $idAt
        i32.add
        i32.load
        i32.store
        local.get $q
        local.get $dSelf
        i32.add
        local.get $p
        local.get $selfAt
        i32.add
        i32.load
        i32.store
        local.get $q
        local.get $dEnd
        i32.add
        local.get $edges
        i64.store32
        local.get $detAt
        i32.const 0
        i32.ge_s
        (if (then
          local.get $dDet
          local.get $r
          i32.add
          local.get $p
          local.get $detAt
          i32.add
          i32.load
          i32.const 3
          i32.and
          i32.store8))
        local.get $p
        local.get $step
        i32.add
        local.set $p
        local.get $r
        i32.const 1
        i32.add
        local.set $r
        br $next))
    local.get $max
    global.set $nodeNameMax
    local.get $edges
    global.set $edges
    i32.const 1)
;; strings(in, len, st, out, outCap, offs, offCap, base) -> status
;; The strings array's common case: plain strings, copied without their quotes to out, and for each string ended,
;; base + the bytes written so far to offs (where the next string starts). $st is the JS parser's state: 0 expecting
;; '"' or ']' (first), 1 in a string, 2 after a string, 3 expecting '"' after ','. Stops with $spos, $sst, $outLen and
;; $offCount set:
;;   0  input used up
;;   1  at a ']' that closes the array (not consumed)
;;   2  at a byte the JS parser must see: a backslash or control character in a string, or anything unexpected
;;      outside one (not consumed)
;;   3  out or offs full (the byte at $spos not consumed)
  (global $spos (mut i32) (i32.const 0))
  (global $sst (mut i32) (i32.const 0))
  (global $outLen (mut i32) (i32.const 0))
  (func (export "spos") (result i32) global.get $spos)
  (func (export "sst") (result i32) global.get $sst)
  (global $offCount (mut i32) (i32.const 0))
  (func (export "outLen") (result i32) global.get $outLen)
  (func (export "offCount") (result i32) global.get $offCount)
  (func (export "strings")
    (param $in i32) (param $len i32) (param $st i32) (param $out i32) (param $outCap i32) (param $offs i32)
    (param $offCap i32) (param $base i32) (result i32)
    (local $i i32) (local $end i32) (local $c i32) (local $o i32) (local $oend i32) (local $f i32) (local $fend i32)
    (local $status i32) (local $x i64) (local $q i64)
    local.get $in
    local.set $i
    local.get $in
    local.get $len
    i32.add
    local.set $end
    local.get $out
    local.set $o
    local.get $out
    local.get $outCap
    i32.add
    local.set $oend
    local.get $offs
    local.set $f
    local.get $offs
    local.get $offCap
    i32.const 2
    i32.shl
    i32.add
    local.set $fend
    (block $stop
      (loop $next
        local.get $i
        local.get $end
        i32.ge_u
        br_if $stop
        local.get $i
        i32.load8_u
        local.set $c
        local.get $st
        i32.const 1
        i32.eq
        (if
          (then
            ;; in a string: plain bytes are copied, eight at a time while no byte of the eight is '"', '\\' or a
            ;; control character; '"' ends it; '\\' and control characters go to JS
            (block $slow
              (loop $fast
                local.get $i
                i32.const 8
                i32.add
                local.get $end
                i32.gt_u
                br_if $slow
                local.get $o
                i32.const 8
                i32.add
                local.get $oend
                i32.gt_u
                br_if $slow
                local.get $i
                i64.load
                local.set $x
                local.get $x
                i64.const 0x2222222222222222
                i64.xor
                local.tee $q
                i64.const 0x0101010101010101
                i64.sub
                local.get $q
                i64.const -1
                i64.xor
                i64.and
                local.get $x
                i64.const 0x5c5c5c5c5c5c5c5c
                i64.xor
                local.tee $q
                i64.const 0x0101010101010101
                i64.sub
                local.get $q
                i64.const -1
                i64.xor
                i64.and
                i64.or
                local.get $x
                i64.const 0x2020202020202020
                i64.sub
                local.get $x
                i64.const -1
                i64.xor
                i64.and
                i64.or
                i64.const 0x8080808080808080
                i64.and
                i64.const 0
                i64.ne
                br_if $slow
                local.get $o
                local.get $x
                i64.store
                local.get $i
                i32.const 8
                i32.add
                local.set $i
                local.get $o
                i32.const 8
                i32.add
                local.set $o
                br $fast))
            local.get $i
            local.get $end
            i32.ge_u
            br_if $stop
            local.get $i
            i32.load8_u
            local.set $c
            local.get $c
            i32.const 34
            i32.eq
            (if
              (then
                local.get $f
                local.get $fend
                i32.ge_u
                (if (then i32.const 3 local.set $status br $stop))
                local.get $f
                local.get $base
                local.get $o
                local.get $out
                i32.sub
                i32.add
                i32.store
                local.get $f
                i32.const 4
                i32.add
                local.set $f
                i32.const 2
                local.set $st
                local.get $i
                i32.const 1
                i32.add
                local.set $i
                br $next))
            local.get $c
            i32.const 92
            i32.eq
            local.get $c
            i32.const 32
            i32.lt_u
            i32.or
            (if (then i32.const 2 local.set $status br $stop))
            local.get $o
            local.get $oend
            i32.ge_u
            (if (then i32.const 3 local.set $status br $stop))
            local.get $o
            local.get $c
            i32.store8
            local.get $o
            i32.const 1
            i32.add
            local.set $o
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br $next))
        ;; outside a string: white space, '"', ',' and ']' where they belong
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
        (if (then
          local.get $i
          i32.const 1
          i32.add
          local.set $i
          br $next))
        local.get $c
        i32.const 34
        i32.eq
        local.get $st
        i32.const 2
        i32.ne
        i32.and
        (if (then
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
        local.get $st
        i32.const 2
        i32.eq
        i32.and
        (if (then
          i32.const 3
          local.set $st
          local.get $i
          i32.const 1
          i32.add
          local.set $i
          br $next))
        local.get $c
        i32.const 93
        i32.eq
        local.get $st
        i32.const 3
        i32.ne
        i32.and
        (if (then i32.const 1 local.set $status br $stop))
        i32.const 2
        local.set $status
        br $stop))
    local.get $i
    local.get $in
    i32.sub
    global.set $spos
    local.get $st
    global.set $sst
    local.get $o
    local.get $out
    i32.sub
    global.set $outLen
    local.get $f
    local.get $offs
    i32.sub
    i32.const 2
    i32.shr_u
    global.set $offCount
    local.get $status)
)
