package xmlstream

import (
	"testing"
	"unsafe"
)

// TestBlockSizes checks that each block fills its allocation size class:
// objects over 512 bytes that hold pointers carry an 8-byte header, so one
// byte more would cost a whole larger class.
func TestBlockSizes(t *testing.T) {
	const header = 8
	for _, tc := range []struct {
		name       string
		size, want uintptr
	}{
		{"block1s", unsafe.Sizeof(block1s{}), 384},
		{"block1", unsafe.Sizeof(block1{}), 512},
		{"block2s", unsafe.Sizeof(block2s{}), 512},
		{"block2", unsafe.Sizeof(block2{}) + header, 640},
		{"block3xs", unsafe.Sizeof(block3xs{}) + header, 640},
		{"block3s", unsafe.Sizeof(block3s{}) + header, 704},
		{"block3", unsafe.Sizeof(block3{}) + header, 768},
		{"block3as", unsafe.Sizeof(block3as{}) + header, 768},
		{"block3a", unsafe.Sizeof(block3a{}) + header, 896},
		{"block4s", unsafe.Sizeof(block4s{}) + header, 896},
		{"block4", unsafe.Sizeof(block4{}) + header, 1024},
		{"block6s", unsafe.Sizeof(block6s{}) + header, 1280},
		{"block6", unsafe.Sizeof(block6{}) + header, 1536},
	} {
		if tc.size != tc.want {
			t.Errorf("%s: %d bytes, want %d", tc.name, tc.size, tc.want)
		}
	}
}

// TestAllocSmallest checks that alloc gives each tree the smallest block of
// its shape whose room holds the string, and the shape's largest block
// when none does.
func TestAllocSmallest(t *testing.T) {
	for _, tc := range []struct {
		ne, na, nn int
		rooms      []int // the shape's rooms, smallest first
	}{
		{1, 4, 1, []int{88, 216}},
		{2, 4, 2, []int{112, 232}},
		{3, 4, 3, []int{128, 192, 256}},
		{3, 6, 3, []int{160, 288}},
		{4, 6, 5, []int{160, 288}},
		{6, 8, 8, []int{216, 472}},
	} {
		for ns := 0; ns <= 600; ns++ {
			e, a, n, room := alloc(tc.ne, tc.na, tc.nn, ns)
			if len(e) != tc.ne || len(a) != tc.na || len(n) != tc.nn {
				t.Fatalf("alloc(%d, %d, %d, %d): %d, %d, %d", tc.ne, tc.na, tc.nn, ns, len(e), len(a), len(n))
			}
			want := tc.rooms[len(tc.rooms)-1]
			for _, r := range tc.rooms {
				if ns <= r {
					want = r
					break
				}
			}
			if len(room) != want {
				t.Fatalf("alloc(%d, %d, %d, %d): room of %d bytes, want %d", tc.ne, tc.na, tc.nn, ns, len(room), want)
			}
		}
	}
}
