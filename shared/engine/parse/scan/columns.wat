;; splitEdges(src, records, ef, typeAt, nameAt, toAt, nf, typeCount, nodeCount, named, dType, dName, dTo) -> ok
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
    (local $r i32) (local $p i32) (local $step i32) (local $t i32) (local $to i32) (local $o i32)
    (local $name i32) (local $max i32) (local $p2 i32)
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
