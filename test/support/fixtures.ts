/** Three schools as a GIAS extract writes them, with the contact columns stemflow adds. */
export const THREE_SCHOOLS_CSV = [
  'URN,EstablishmentName,PhaseOfEducation (name),TypeOfEstablishment (name),LA (name),Postcode,NumberOfPupils,Easting,Northing,ContactName,ContactEmail',
  '111740,Beechwood Primary School,Primary,Community school,Middlesbrough,TS4 3EY,420,451200,518300,Amira Khan,stem.lead@beechwood.example.sch.uk',
  '111741,Hillside Academy,Secondary,Academy converter,Middlesbrough,TS5 7EX,1050,448900,516700,Tom Reilly,t.reilly@hillside.example.sch.uk',
  '"111742","St Hilda\'s Church of England Primary, Redcar",Primary,Voluntary aided school,Redcar and Cleveland,TS10 2AY,315,460300,524900,Grace Okafor,g.okafor@sthildas.example.sch.uk',
].join('\n');
