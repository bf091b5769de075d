package uk.familylink.local.population;

import java.util.List;

/** Built-in name lists for fictional people: common in England and Wales, drawn at random, so any match to a real person is chance. */
final class Names {

    static final List<String> GIVEN = List.of(
            "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas", "Oscar",
            "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac",
            "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mohammed", "Logan",
            "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily",
            "Jessica", "Sophie", "Grace", "Evie", "Ruby", "Freya", "Chloe", "Daisy", "Phoebe", "Sienna",
            "Megan", "Rhiannon", "Siân", "Zoë", "Niamh", "Aoife", "Renée", "Chloé", "Seren", "Gwen");

    static final List<String> FAMILY = List.of(
            "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
            "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
            "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
            "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
            "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
            "O'Brien", "Ap Rhys", "Pritchard", "Powell", "Vaughan", "Bevan", "Kowalski", "Nowak", "Khan", "Begum");

    private Names() {
    }
}
