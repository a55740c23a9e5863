package dev.piccolo.benchmarks.jpa;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /items?name=...}, answered from the replica. */
@RestController
class ItemController {

    private final ItemRepository items;

    ItemController(ItemRepository items) {
        this.items = items;
    }

    @GetMapping("/items")
    ResponseEntity<Item> byName(@RequestParam String name) {
        return ResponseEntity.of(items.findByName(name));
    }
}
