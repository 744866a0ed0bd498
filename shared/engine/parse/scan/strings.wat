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
